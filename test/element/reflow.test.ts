/**
 * Reflow (WCAG 1.4.10): at 320 CSS px, and on a 390 px phone at 200 % zoom (195 CSS px), the
 * inline panel and the overlay fit the screen, nothing sticks out of the panel, "Try now" stays
 * one line at 320 px and no word is split.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor } from './fake-engine.js';
import { brokenWords, overflowing } from './screenshots/screen-checks.js';
import { SCREEN_KINDS, emulate } from './screenshots/screenshot-suite.js';
import { SCREEN_STATES } from './screenshots/states.js';

const phone = SCREEN_KINDS.find((kind) => kind.name === 'phone')!;
const WIDTHS = [
  { ...phone, name: '320 px', width: 320 },
  SCREEN_KINDS.find((kind) => kind.name === 'zoom')!,
];
const steps = (name: string): Partial<QueueSnapshot>[] =>
  SCREEN_STATES.find((state) => state.name === name)!.steps;

async function mount(
  name: string,
  lang: 'en' | 'ko',
  mode: 'inline' | 'overlay',
): Promise<QueueGateElement> {
  const engine = new FakeEngine();
  const el = await fixture<QueueGateElement>(html`
    <queue-gate
      room="demo"
      lang=${lang}
      mode=${mode}
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    ></queue-gate>
  `);
  for (const step of steps(name)) engine.push(step);
  await el.updateComplete;
  return el;
}

/** Lines of text in a button: its content height over its line height. */
function buttonLines(button: Element): number {
  const style = getComputedStyle(button);
  const content =
    button.getBoundingClientRect().height -
    ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth']
      .map((side) => parseFloat(style[side as 'paddingTop']))
      .reduce((a, b) => a + b, 0);
  return Math.round(content / parseFloat(style.lineHeight));
}

describe('<queue-gate> reflow on narrow and zoomed screens', () => {
  after(() => emulate(phone, 'en'));

  for (const kind of WIDTHS) {
    describe(`at ${kind.name}`, () => {
      before(() => emulate(kind, 'en'));

      for (const lang of ['en', 'ko'] as const) {
        for (const mode of ['inline', 'overlay'] as const) {
          it(`fits the ${mode} panel on the screen (${lang})`, async () => {
            for (const name of ['waiting', 'reconnecting', 'busy', 'pre-open']) {
              const el = await mount(name, lang, mode);
              const panel = el.shadowRoot!.querySelector('[part="panel"]')!.getBoundingClientRect();
              expect(panel.left, `${name}: left edge`).to.be.at.least(0);
              expect(panel.right, `${name}: right edge`).to.be.at.most(window.innerWidth);
              expect(overflowing(el), name).to.deep.equal([]);
              expect(brokenWords(el), name).to.deep.equal([]);
            }
          });
        }
      }
    });
  }

  it('keeps "Try now" (and its wait for the server) on one line at 320 px', async () => {
    await emulate(WIDTHS[0]!, 'en');
    for (const lang of ['en', 'ko'] as const) {
      for (const name of ['reconnecting', 'busy']) {
        const el = await mount(name, lang, 'inline');
        const button = el.shadowRoot!.querySelector('[part="retry-button"]')!;
        expect(buttonLines(button), `${name} (${lang}): ${button.textContent}`).to.equal(1);
      }
    }
  });

  it('lets a tall overlay panel scroll from its top on a zoomed screen', async () => {
    await emulate(WIDTHS[1]!, 'ko');
    const el = await mount('reconnecting', 'ko', 'overlay');
    const overlay = el.shadowRoot!.querySelector('.overlay')!;
    const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
    expect(overlay.scrollHeight).to.be.greaterThan(overlay.clientHeight);
    // Centring by alignment would push the top of a tall panel above the scrollable area.
    expect(panel.getBoundingClientRect().top).to.be.at.least(0);
  });
});
