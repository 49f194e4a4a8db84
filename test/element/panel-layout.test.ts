/**
 * The waiting panel's figures at desktop and phone widths: on a wide page each figure stays on
 * one line ("280 people" and "About 9–19 min" used to wrap inside a 32rem panel), and at 320
 * CSS px nothing is wider than the panel.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import type { QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor } from './fake-engine.js';

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 1_005_001,
  position: 281,
  estimate: { minMs: 9 * 60_000, maxMs: 19 * 60_000 },
  lastUpdatedAt: NOW,
};

async function mountIn(widthPx: number, lang: string): Promise<QueueGateElement> {
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
  engine.push(waiting);
  await el.updateComplete;
  return el;
}

/** The rendered lines of an element's text (its height over its line height). */
function lineCount(element: Element): number {
  const style = getComputedStyle(element);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  return Math.round(element.getBoundingClientRect().height / lineHeight);
}

describe('<queue-gate> panel layout', () => {
  for (const lang of ['en', 'ko']) {
    it(`keeps each figure on one line on a 1280 px page (${lang})`, async () => {
      const el = await mountIn(1280, lang);
      const figures = [...el.shadowRoot!.querySelectorAll('dd')];
      expect(figures.length).to.equal(3);
      for (const figure of figures) {
        expect(lineCount(figure), `"${figure.textContent?.trim()}"`).to.equal(1);
      }
    });

    it(`fits the panel at 320 px (${lang})`, async () => {
      const el = await mountIn(320, lang);
      const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
      const right = panel.getBoundingClientRect().right;
      for (const node of panel.querySelectorAll('*')) {
        expect(node.getBoundingClientRect().right, node.tagName).to.be.at.most(right + 0.5);
      }
    });
  }
});
