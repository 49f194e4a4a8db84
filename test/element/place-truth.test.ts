/**
 * No sentence claims a kept place while no ticket exists. Every screen is rendered with and
 * without a ticket, in English and Korean: without one, nothing may say the place is kept or a
 * reload is safe; with one, the screens that speak of the place say what keeps it.
 */
import { expect } from '@open-wc/testing';
import { FakeEngine, NOW } from './fake-engine.js';
import { SCREEN_STATES, mountGate, variantsOf, visibleText } from './helpers/screen-states.js';
import { loadTranslation } from '../../src/element/localize.js';

/** Claims of a kept place, or of a reload that keeps it, in each language. */
const CLAIMS: Record<'en' | 'ko', RegExp> = {
  en: /place (in line )?is kept|safely reload|kept until/i,
  ko: /순번은 (그대로 )?유지|유지됩니다|까지 유지/,
};

/** What the screens that speak of the place say with a ticket. */
const KEPT = {
  en: 'Your place in line is kept.',
  ko: '고객님의 순번은 그대로 유지됩니다.',
};

describe('what the screen says about the place', () => {
  before(() => loadTranslation('ko'));

  for (const lang of ['en', 'ko'] as const) {
    for (const state of SCREEN_STATES) {
      for (const [variant, snapshot] of variantsOf(state)) {
        it(`${state.name}, ${variant}, in ${lang}`, async () => {
          const engine = new FakeEngine();
          const el = await mountGate(engine, lang);
          engine.push(snapshot);
          await el.updateComplete;
          const seen = visibleText(el);
          if (variant === 'without a ticket') {
            expect(seen, 'a place claimed without a ticket').to.not.match(CLAIMS[lang]);
            expect(seen, 'a number shown without a ticket').to.not.match(/Your number|대기 번호/);
          }
          const speaksOfPlace = ['connection lost', 'very busy', 'paused', 'closed'];
          if (variant === 'with a ticket' && speaksOfPlace.includes(state.name)) {
            expect(seen).to.include(KEPT[lang]);
          }
          if (variant === 'without a ticket' && speaksOfPlace.includes(state.name)) {
            expect(seen).to.include(
              lang === 'en' ? 'You are not in the line yet' : '아직 대기열에 들어가지 못했습니다',
            );
          }
        });
      }
    }
  }

  it('says how long the turn is held while the connection is lost, not the ticket’s expiry', async () => {
    const engine = new FakeEngine();
    const el = await mountGate(engine, 'en');
    engine.push(variantsOf(SCREEN_STATES[3]!)[0]![1]);
    await el.updateComplete;
    const seen = visibleText(el);
    expect(seen).to.include('When it’s your turn, you’ll have 5 minutes to book.');
    expect(seen).to.not.include('kept until');
  });

  it('says the clock is running when the turn came and the connection failed', async () => {
    const turnCame = SCREEN_STATES.find((s) => s.name === 'connection lost when the turn came')!;
    for (const [lang, says] of [
      ['en', 'Your turn has come and the time to claim it is running: it ends around'],
      ['ko', '고객님 차례가 되었습니다. 입장 가능 시간이 줄어들고 있으며'],
    ] as const) {
      const engine = new FakeEngine();
      const el = await mountGate(engine, lang);
      engine.push(variantsOf(turnCame)[0]![1]);
      await el.updateComplete;
      expect(visibleText(el)).to.include(says);
      expect(visibleText(el)).to.not.match(CLAIMS[lang]);
    }
  });

  it('tells the truth where the browser keeps the ticket in memory only', async () => {
    const waiting = variantsOf(SCREEN_STATES[1]!)[0]![1];
    for (const [lang, says] of [
      ['en', 'reloading or closing it loses the place'],
      ['ko', '새로고침하거나 페이지를 닫으면 순번이 사라집니다'],
    ] as const) {
      const engine = new FakeEngine();
      const el = await mountGate(engine, lang);
      engine.push({ ...waiting, persistence: 'memory', lastUpdatedAt: NOW });
      await el.updateComplete;
      expect(visibleText(el)).to.include(says);
      expect(visibleText(el)).to.not.match(CLAIMS[lang]);
      // This test page is not framed: a tab of its own would not have storage either.
      expect(el.shadowRoot!.querySelector('[part="own-tab-link"]')).to.equal(null);
    }
  });
});
