/**
 * The live region says what the screen shows: each state's announcement is compared with the
 * visible heading and sentence, in English and Korean.
 */
import { expect } from '@open-wc/testing';
import { loadTranslation } from '../../src/element/localize.js';
import { FakeEngine } from './fake-engine.js';
import {
  SCREEN_STATES,
  liveText,
  mountGate,
  spaced,
  variantsOf,
  visibleText,
} from './helpers/screen-states.js';

/** The visible heading: the panel's, or the one above a revealed form. */
function heading(el: Element): string {
  const root = el.shadowRoot!;
  const node =
    root.querySelector('[part~="title"]') ?? root.querySelector('[part~="admitted-notice"] h2');
  return spaced(node?.textContent ?? '');
}

/** The visible sentence under the heading: the notice's first paragraph, if the screen has one. */
function sentence(el: Element): string | null {
  const notice = el.shadowRoot!.querySelector('[part~="notice"]');
  if (!notice) return null;
  const first = notice.matches('p') ? notice : notice.querySelector('p');
  return first ? spaced(first.textContent ?? '') : null;
}

describe('what the live region says', () => {
  before(() => loadTranslation('ko'));

  for (const lang of ['en', 'ko'] as const) {
    for (const state of SCREEN_STATES) {
      for (const [variant, snapshot] of variantsOf(state)) {
        it(`says the heading and sentence of ${state.name}, ${variant}, in ${lang}`, async () => {
          const engine = new FakeEngine();
          const el = await mountGate(engine, lang);
          engine.push(snapshot);
          await el.updateComplete;
          await el.updateComplete;
          const said = liveText(el);
          const title = heading(el);
          expect(title, 'a heading').to.not.equal('');
          expect(said, 'the heading').to.include(title.replace(/…$/u, ''));
          const shown = sentence(el);
          if (shown !== null) expect(said, 'the sentence').to.include(shown);
          if (snapshot.status === 'waiting' && snapshot.opensAt == null) {
            expect(said).to.include(
              spaced(el.shadowRoot!.querySelector('[part="ahead"]')!.textContent!),
            );
          }
          // Nothing heard that is not on the screen.
          for (const part of said.split(/(?<=[.。])\s|:\s/u)) {
            expect(visibleText(el), `"${part}" is heard but not shown`).to.include(
              part.replace(/[.:]$/u, ''),
            );
          }
        });
      }
    }
  }

  it('says the deadline with the heading when the turn comes, before the focus moves', async () => {
    const admitted = variantsOf(SCREEN_STATES.find((s) => s.name === 'admitted')!)[0]![1];
    const engine = new FakeEngine();
    const el = await mountGate(engine, 'en');
    engine.push(admitted);
    await el.updateComplete;
    await el.updateComplete;
    expect(liveText(el)).to.match(/^It’s your turn\. Complete your booking before \d/u);
  });

  it('moves the focus to the first field in overlay mode, where no notice sits above the form', async () => {
    const admitted = variantsOf(SCREEN_STATES.find((s) => s.name === 'admitted')!)[0]![1];
    const engine = new FakeEngine();
    const el = await mountGate(engine, 'en', 'overlay');
    engine.push(admitted);
    for (let i = 0; i < 10 && document.activeElement?.getAttribute('name') !== 'name'; i++) {
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(document.activeElement?.getAttribute('name')).to.equal('name');
  });
});
