import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';

// What a visitor gets when the queue-gate script does not load: the booking form must be
// neither visible nor usable, and a readable sentence must appear after a few seconds. Checked
// on the sample booking page (element mode) and on a whole-page-mode fixture, each with the
// bundle missing and with it present. The "with it" pages load the BUILT bundle
// (`npm run build`), as a site would.

const BOOKING_PAGE = '/demo/booking.html';
const WHOLE_PAGE_WITHOUT_BUNDLE = '/test/element/fixtures/auto-page-no-bundle.html';

/** Opens `page` (a URL, or HTML for `srcdoc`) in a frame and waits for its load event. */
async function openFrame(page: { src: string } | { srcdoc: string }): Promise<Document> {
  const frame = fixtureSync<HTMLIFrameElement>(
    'src' in page
      ? html`<iframe title="page" src=${page.src} style="width: 800px; height: 600px"></iframe>`
      : html`<iframe
          title="page"
          srcdoc=${page.srcdoc}
          style="width: 800px; height: 600px"
        ></iframe>`,
  );
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  return frame.contentDocument!;
}

/** Whether a visitor could see or reach `field` (focus it, have it rendered). */
function usable(doc: Document, field: HTMLElement): boolean {
  field.focus();
  return doc.activeElement === field || field.checkVisibility({ visibilityProperty: true });
}

/** The "did not load" sentence drawn by `selector`'s pseudo-element, and whether it shows. */
function fallback(doc: Document, element: Element, pseudo: '::before' | '::after') {
  const style = doc.defaultView!.getComputedStyle(element, pseudo);
  return { content: style.content, visible: style.visibility === 'visible' };
}

/** Runs every CSS animation of the page to its end: "after a few seconds", now. */
function skipAhead(doc: Document): number {
  const animations = doc.getAnimations();
  animations.forEach((animation) => animation.finish());
  return animations.length;
}

describe('fail closed when the queue-gate script does not load', () => {
  it('keeps the sample booking page’s form hidden and unusable, and then says so', async () => {
    const page = await (await fetch(BOOKING_PAGE)).text();
    const broken = page.replace('/dist/queue-gate.min.js', '/dist/not-deployed/queue-gate.min.js');
    expect(broken).to.not.equal(page);
    const doc = await openFrame({ srcdoc: broken });
    // booking.js (deferred, same origin) still runs: it names the room on the element.
    await waitUntil(() => doc.querySelector('queue-gate')?.getAttribute('endpoint'));
    const gate = doc.querySelector('queue-gate')!;
    expect(doc.defaultView!.customElements.get('queue-gate')).to.equal(undefined);

    for (const id of ['name', 'date']) {
      expect(usable(doc, doc.getElementById(id)!), id).to.equal(false);
    }
    const button = doc.querySelector<HTMLButtonElement>('#booking-form button')!;
    expect(usable(doc, button)).to.equal(false);
    // The space stays reserved, so nothing jumps when the element does render.
    expect(gate.getBoundingClientRect().height).to.be.at.least(12 * 16);

    const early = fallback(doc, gate, '::before');
    expect(early.content).to.include('taking long to load');
    expect(early.visible, 'not at once: a normal load takes a moment').to.equal(false);
    expect(skipAhead(doc)).to.be.greaterThan(0);
    expect(fallback(doc, gate, '::before').visible).to.equal(true);
    expect(usable(doc, doc.getElementById('name')!)).to.equal(false);
  });

  it('runs the sample booking page as before when the bundle loads', async () => {
    const bundle = await fetch('/dist/queue-gate.min.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/queue-gate.min.js is missing: run `npm run build` first').to.equal(
      true,
    );
    const doc = await openFrame({ src: BOOKING_PAGE });
    await waitUntil(() => doc.defaultView!.customElements.get('queue-gate'), 'never defined', {
      timeout: 8000,
    });
    const gate = doc.querySelector('queue-gate')!;
    await waitUntil(() => gate.shadowRoot?.querySelector('[part="panel"]'), 'no waiting panel');
    expect(gate.matches(':defined')).to.equal(true);
    expect(fallback(doc, gate, '::before').content).to.equal('none');
    skipAhead(doc);
    expect(fallback(doc, gate, '::before').content).to.equal('none');
    // Still closed, now by the element itself: the form is not rendered before admission.
    expect(usable(doc, doc.getElementById('name')!)).to.equal(false);
  });

  it('keeps a whole-page-mode page hidden and unusable, and then says so', async () => {
    const doc = await openFrame({ src: WHOLE_PAGE_WITHOUT_BUNDLE });
    expect(doc.querySelector('queue-gate')).to.equal(null);
    expect(doc.documentElement.hasAttribute('data-queue-gate-loaded')).to.equal(false);
    expect(usable(doc, doc.getElementById('name')!)).to.equal(false);
    expect(usable(doc, doc.querySelector('button')!)).to.equal(false);
    expect(doc.querySelector('h1')!.checkVisibility({ visibilityProperty: true })).to.equal(false);

    const early = fallback(doc, doc.body, '::after');
    expect(early.content).to.include('taking long to load');
    expect(early.visible).to.equal(false);
    expect(skipAhead(doc)).to.be.greaterThan(0);
    expect(fallback(doc, doc.body, '::after').visible).to.equal(true);
  });
});
