/**
 * Embedded where the browser denies storage, in Chromium for real: a page on one site
 * (`localhost`) frames the sample booking page of another site (the server as `127.0.0.1`).
 * Chromium (as driven here, without storage partitioning, and with third-party cookies blocked
 * as in this headless profile) denies that frame `localStorage` and Web Locks. The gate must
 * join all the same, keep the ticket in memory, and tell the visitor the truth: a reload loses
 * the place here, and the waiting room can be opened in a tab of its own, where it is kept.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { en } from '../../src/element/translations/en.js';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { bookingPageUrl } from './helpers/open-booking-page.js';
import { waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/** What the framed gate shows, read inside its frame. */
async function framedGate(frame: Frame) {
  return frame.evaluate(() => {
    const gate = document.querySelector('queue-gate') as
      (HTMLElement & { status?: string; seq?: number | null }) | null;
    let storage = 'allowed';
    try {
      localStorage.getItem('probe');
    } catch (error) {
      storage = (error as Error).name;
    }
    const root = gate?.shadowRoot;
    const link = root?.querySelector<HTMLAnchorElement>('[part="own-tab-link"]');
    return {
      storage,
      status: gate?.status ?? null,
      seq: gate?.seq ?? null,
      reloadNote: root?.querySelector('[part="reload-note"]')?.textContent?.trim() ?? '',
      link: link ? { href: link.href, target: link.target, rel: link.rel } : null,
    };
  });
}

describe('the sample booking page framed by another site', () => {
  const chromium = useChromium();

  it('joins with the ticket in memory, says so, and opens in a tab of its own that keeps it', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('framed');
    const context = await chromium.newContext(t);
    const page = await context.newPage();
    const booking = bookingPageUrl(server.url, 'framed');
    // The framing site: localhost is another site than 127.0.0.1 to the browser.
    const top = server.url.replace('127.0.0.1', 'localhost') + '/embedding-site.html';
    await page.route(top, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Another site</title><iframe src="${booking}" width="600" height="700"></iframe>`,
      }),
    );
    // The sample page refuses to be framed (clickjacking); a site that embeds its waiting room
    // lets it be: the test lifts the refusal for this one page, in the framing tab only.
    await page.route(booking, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['x-frame-options'];
      const csp = headers['content-security-policy'];
      if (csp)
        headers['content-security-policy'] = csp.replace(
          /frame-ancestors [^;]*/u,
          'frame-ancestors *',
        );
      await route.fulfill({ response, headers });
    });
    await page.goto(top);
    const frame = await waitUntil(async () => page.frames().find((f) => f.url() === booking), {
      what: `the framed booking page (frames: ${page
        .frames()
        .map((f) => f.url())
        .join(', ')})`,
      timeoutMs: 10_000,
    });

    const seen = await waitUntil(
      async () => {
        const gate = await framedGate(frame);
        return gate.status === 'waiting' && gate.reloadNote ? gate : undefined;
      },
      { what: 'the framed gate waiting', timeoutMs: 15_000 },
    );
    assert.equal(
      seen.storage,
      'SecurityError',
      'the premise: the browser denies this frame storage',
    );
    assert.equal(seen.seq, 1, 'it joined all the same');
    assert.equal(seen.reloadNote, en.reloadUnsafe);
    assert.deepEqual(seen.link, { href: booking, target: '_blank', rel: 'noopener' });

    const [ownTab] = await Promise.all([
      context.waitForEvent('page'),
      frame.locator('queue-gate [part="own-tab-link"]').click(),
    ]);
    const alone = await waitForStatus(ownTab, 'waiting');
    assert.equal(alone.seq, 2, 'a tab of its own joins the line anew');
    const note = ownTab.locator('queue-gate [part="reload-note"]');
    assert.equal((await note.textContent())?.trim(), en.reloadSafe);
    await ownTab.reload();
    assert.equal(
      (await waitForStatus(ownTab, 'waiting')).seq,
      2,
      'there, a reload keeps the place',
    );
  });
});
