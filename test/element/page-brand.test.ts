/**
 * The site's brand on the whole-page gate and where focus goes after admission
 * (`src/element/page-brand.ts`; the script tag's own test, auto.test.ts, covers the data-*
 * attributes end to end with the built bundle).
 */
import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import '../../src/index.js';
import { applyPageBrand, focusReleasedPage } from '../../src/element/page-brand.js';

describe('page brand', () => {
  afterEach(() =>
    document.querySelectorAll('template[data-queue-gate-brand]').forEach((t) => t.remove()),
  );

  it('shows the title and the logo (with the title as its text) in the header and logo slots', async () => {
    const gate = await fixture<HTMLElement>(html`<queue-gate room="demo"></queue-gate>`);
    applyPageBrand(gate, { title: 'Seoul Concert Hall', logo: '/logo.svg' }, document);
    const logo = gate.querySelector<HTMLImageElement>('img[slot="logo"]')!;
    expect(logo.getAttribute('src')).to.equal('/logo.svg');
    expect(logo.alt).to.equal('Seoul Concert Hall');
    expect(gate.querySelector('[slot="header"]')!.textContent).to.equal('Seoul Concert Hall');
  });

  it('takes colours the browser reads as colours, and nothing else', async () => {
    const gate = await fixture<HTMLElement>(html`<queue-gate room="demo"></queue-gate>`);
    applyPageBrand(
      gate,
      { accent: 'rebeccapurple', background: 'red; --x: 1', text: '#fff' },
      document,
    );
    expect(gate.style.getPropertyValue('--queue-gate-accent')).to.equal('rebeccapurple');
    expect(gate.style.getPropertyValue('--queue-gate-background')).to.equal('');
    expect(gate.style.getPropertyValue('--queue-gate-text')).to.equal('#fff');
  });

  it("prefers the page's template, putting unslotted elements in the header", async () => {
    const template = document.createElement('template');
    template.dataset['queueGateBrand'] = '';
    template.innerHTML = '<h2>Vaccine booking</h2><a slot="footer" href="/help">Help</a>';
    document.body.append(template);
    const gate = await fixture<HTMLElement>(html`<queue-gate room="demo"></queue-gate>`);
    applyPageBrand(gate, { title: 'ignored when a template exists' }, document);
    expect(gate.querySelector('h2')!.slot).to.equal('header');
    expect(gate.querySelector('a')!.slot).to.equal('footer');
    expect(gate.textContent).to.not.include('ignored');
  });

  it('moves focus to the first form field after admission, else to the main landmark', async () => {
    // fixtureSync: a plain element's fixture() waits for an animation frame, which a page
    // running in the background (tests run two at once) may never get.
    const page = fixtureSync<HTMLElement>(
      html`<div>
        <main>
          <h1>Book</h1>
          <form><input id="first" /><input /></form>
        </main>
      </div>`,
    );
    focusReleasedPage(document);
    expect(document.activeElement?.id).to.equal('first');
    page.querySelector('form')!.remove();
    focusReleasedPage(document);
    const main = page.querySelector('main')!;
    expect(document.activeElement === main, `focus on ${document.activeElement?.tagName}`).to.equal(
      true,
    );
    expect(main.tabIndex).to.equal(-1);
  });
});
