/**
 * The waiting panel's figures at desktop and phone widths: one layout at both, each figure on
 * one line ("296 people" and "About 9–19 min" used to wrap when columns switched), and at 320
 * CSS px nothing is wider than the panel, on the line, the opening and the turn's countdown.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor } from './fake-engine.js';

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 1_005_001,
  position: 297,
  estimate: { minMs: 9 * 60_000, maxMs: 19 * 60_000 },
  holdSeconds: 300,
  ticketExpiresAt: NOW + 86_400_000,
  lastUpdatedAt: NOW,
};
const preOpen: Partial<QueueSnapshot> = {
  status: 'waiting',
  opensAt: NOW + 2 * 3_600_000 + 16 * 60_000 + 25_000,
  ticketExpiresAt: NOW + 86_400_000,
  lastUpdatedAt: NOW,
};
const admitted: Partial<QueueSnapshot> = {
  ...waiting,
  status: 'admitted',
  position: 0,
  admission: 'a.b.c',
  admissionExpiresAt: NOW + 45_000,
};

async function mountIn(
  widthPx: number,
  lang: string,
  screen: Partial<QueueSnapshot> = waiting,
): Promise<QueueGateElement> {
  const engine = new FakeEngine();
  const el = await fixture<QueueGateElement>(
    html`<queue-gate
      room="demo"
      lang=${lang}
      style="width: ${widthPx}px"
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    ></queue-gate>`,
  );
  // Admitted on the panel (the page takes the admission itself), where the countdown is widest.
  el.addEventListener('queue-gate-admit', (event) => event.preventDefault());
  engine.push(screen);
  await el.updateComplete;
  return el;
}

function expectNothingOutside(el: QueueGateElement): void {
  const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
  const { left, right } = panel.getBoundingClientRect();
  for (const node of panel.querySelectorAll('*')) {
    const box = node.getBoundingClientRect();
    // Slots (display: contents) and empty regions have no box.
    if (box.width === 0 && box.height === 0) continue;
    expect(box.right, node.tagName).to.be.at.most(right + 0.5);
    expect(box.left, node.tagName).to.be.at.least(left - 0.5);
  }
}

/** The rendered lines of an element's text (its height over its line height). */
function lineCount(element: Element): number {
  const style = getComputedStyle(element);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  return Math.round(element.getBoundingClientRect().height / lineHeight);
}

describe('<queue-gate> panel layout', () => {
  for (const lang of ['en', 'ko']) {
    for (const width of [1280, 320]) {
      it(`keeps each figure on one line, in one column, on a ${width} px page (${lang})`, async () => {
        const el = await mountIn(width, lang);
        const figures = [...el.shadowRoot!.querySelectorAll('dd')];
        expect(figures.length).to.equal(3);
        for (const figure of figures) {
          expect(lineCount(figure), `"${figure.textContent?.trim()}"`).to.equal(1);
        }
        // One column at every width: each figure's row starts below the one before.
        const tops = [...el.shadowRoot!.querySelectorAll('.figures > div')].map(
          (row) => row.getBoundingClientRect().top,
        );
        expect(tops.every((top, i) => i === 0 || top > tops[i - 1]!)).to.equal(true);
      });
    }

    it(`fits the panel at 320 px (${lang})`, async () => {
      expectNothingOutside(await mountIn(320, lang));
    });

    it(`fits the opening's and the turn's countdowns at 320 px, each on one line (${lang})`, async () => {
      for (const screen of [preOpen, admitted]) {
        const el = await mountIn(320, lang, screen);
        const time = el.shadowRoot!.querySelector('[part="countdown"] time')!;
        expect(lineCount(time), `"${time.textContent?.trim()}"`).to.equal(1);
        expectNothingOutside(el);
      }
    });
  }
});
