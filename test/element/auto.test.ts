import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import type { QueueGateElement } from '../../src/index.js';
import type {} from './fixtures/auto-page-mocks.js';

// The page under test loads the BUILT classic bundle (`npm run build` → dist/queue-gate.min.js)
// exactly as a site would: one script tag with data-room and data-endpoint, and the fail-closed
// snippet in <head> (docs/element.md). Its queue server is a simulator behind an MSW worker that
// the page starts itself (fixtures/auto-page-mocks.ts).
const PAGE = '/test/element/fixtures/auto-page.html';

function forgetTickets(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('queue-gate:') && key.includes('autopage')) localStorage.removeItem(key);
  }
}

describe('script-tag whole-page mode (dist/queue-gate.min.js)', () => {
  afterEach(forgetTickets);

  it('covers the page until admission, then releases it with the admission in its forms', async () => {
    forgetTickets();
    const bundle = await fetch('/dist/queue-gate.min.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/queue-gate.min.js is missing: run `npm run build` first').to.equal(
      true,
    );
    const frame = fixtureSync<HTMLIFrameElement>(
      html`<iframe title="booking page" src=${PAGE} style="width: 800px; height: 600px"></iframe>`,
    );
    await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const win = frame.contentWindow!;
    const doc = frame.contentDocument!;
    await waitUntil(() => win.queueGateHarness, 'the page never set up its simulator');
    const { sim, ready } = win.queueGateHarness!;
    const worker = await ready;
    try {
      const el = doc.querySelector('queue-gate') as QueueGateElement;
      expect([el.mode, el.room, el.endpoint]).to.deep.equal([
        'overlay',
        'autopage',
        'https://queue.test',
      ]);
      // A join sent before the worker was ready failed like a network error; ask again now.
      el.retry();
      await waitUntil(() => el.status === 'waiting', `the gate never joined (${el.status})`, {
        timeout: 8000,
      });
      expect(el.seq).to.equal(1);
      const main = doc.querySelector('main')!;
      const name = doc.querySelector<HTMLInputElement>('#name')!;
      expect(main.inert).to.equal(true);
      expect(name.checkVisibility({ visibilityProperty: true })).to.equal(false);
      name.focus();
      expect(doc.activeElement === name).to.equal(false);
      const overlay = el.shadowRoot!.querySelector('.overlay')!;
      expect(getComputedStyle(overlay).position).to.equal('fixed');
      expect(el.shadowRoot!.textContent).to.include('You are in line');
      // The site's brand from the script tag's data-* attributes is on the waiting screen.
      const brand = el.querySelector<HTMLElement>('[slot="header"]')!;
      expect(brand.textContent).to.equal('Seoul Concert Hall');
      expect(brand.checkVisibility()).to.equal(true);
      expect(el.style.getPropertyValue('--queue-gate-accent')).to.equal('#8a1538');
      // The page's own fail-closed snippet (fixtures/auto-page.html) stands down for the script:
      // no "did not load" sentence, however long the visitor waits.
      expect(doc.documentElement.hasAttribute('data-queue-gate-loaded')).to.equal(true);
      doc.getAnimations().forEach((animation) => animation.finish());
      expect(win.getComputedStyle(doc.body, '::after').content).to.equal('none');

      sim.advance(1);
      el.retry();
      await waitUntil(() => !main.inert, 'the page was never released', { timeout: 8000 });
      expect(el.status).to.equal('admitted');
      const field = doc.querySelector<HTMLInputElement>('form input[name="queue_admission"]')!;
      expect(field.value).to.equal(el.admission);
      expect(name.checkVisibility({ visibilityProperty: true })).to.equal(true);
      expect(el.shadowRoot!.querySelector('.overlay') === null).to.equal(true);
      expect(doc.documentElement.hasAttribute('data-queue-gate-pending')).to.equal(false);
      // A keyboard or screen-reader visitor goes on where the page begins: its form's first field.
      expect(doc.activeElement === name, `focus is on ${doc.activeElement?.tagName}`).to.equal(
        true,
      );
    } finally {
      worker.stop();
    }
  });
});
