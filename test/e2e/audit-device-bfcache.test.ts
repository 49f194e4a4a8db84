import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromiumWithBackForwardCache } from './helpers/chromium-with-bfcache.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { bookingPageUrl, openBookingPage } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';

/** Records, in the page, whether its next `pageshow` came from the back/forward cache. */
const watchRestore = (page: Page) =>
  page.evaluate(() =>
    addEventListener('pageshow', (event) => {
      (window as unknown as { restored: boolean }).restored = event.persisted;
    }),
  );
const wasRestored = (page: Page) =>
  page.evaluate(() => (window as unknown as { restored?: boolean }).restored);

describe('a visitor with two tabs, one of which leaves the waiting page for a while', () => {
  const chromium = useChromiumWithBackForwardCache();

  it('has the other tab claim the turn while the first sits in the back/forward cache', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('away');
    await server.admin.joinFromNode('away');
    const context = await chromium.newContext(t);
    const first = await openBookingPage(context, server.url, 'away');
    const joined = await waitForStatus(first, 'waiting');
    const second = await openBookingPage(context, server.url, 'away');
    await waitForStatus(second, 'waiting');

    // The leading tab goes to another page of the site; Back will restore it.
    await watchRestore(first);
    await first.goto(bookingPageUrl(server.url, 'elsewhere'));
    await server.admin.advance('away', joined.seq!);
    const admitted = await waitForStatus(second, 'admitted', 10_000);
    assert.equal(admitted.seq, joined.seq, 'the tab left open claims the turn');

    await first.goBack({ waitUntil: 'commit' });
    const back = await waitForStatus(first, 'admitted');
    assert.equal(await wasRestored(first), true, 'the page came from the back/forward cache');
    assert.equal(back.admission, admitted.admission, 'the same admission in both tabs');
    assert.equal((await server.admin.figures('away')).issued, 2, 'no new place was taken');
  });

  it('has the other tab claim the turn while the first is frozen in the background', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('frozen');
    await server.admin.joinFromNode('frozen');
    const context = await chromium.newContext(t);
    const first = await openBookingPage(context, server.url, 'frozen');
    const joined = await waitForStatus(first, 'waiting');
    const second = await openBookingPage(context, server.url, 'frozen');
    await waitForStatus(second, 'waiting');

    // As Chrome freezes a background tab to save power (Page Lifecycle API). Chrome itself
    // keeps a frozen tab's Web Lock from blocking the others: this guards that it stays so.
    const cdp = await context.newCDPSession(first);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await server.admin.advance('frozen', joined.seq!);
    const admitted = await waitForStatus(second, 'admitted', 10_000);

    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    const thawed = await waitForStatus(first, 'admitted');
    assert.equal(thawed.admission, admitted.admission, 'the same admission in both tabs');
    assert.equal((await server.admin.figures('frozen')).issued, 2, 'no new place was taken');
    assert.equal((await readGate(second))?.status, 'admitted');
  });

  it('a single tab back from the cache claims the turn that came while it was away', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('alone');
    await server.admin.joinFromNode('alone');
    const context = await chromium.newContext(t);
    const page = await openBookingPage(context, server.url, 'alone');
    const joined = await waitForStatus(page, 'waiting');
    await watchRestore(page);
    await page.goto(bookingPageUrl(server.url, 'elsewhere'));
    await server.admin.advance('alone', joined.seq!);

    await page.goBack({ waitUntil: 'commit' });
    const admitted = await waitForStatus(page, 'admitted');
    assert.equal(await wasRestored(page), true, 'the page came from the back/forward cache');
    assert.equal(admitted.seq, joined.seq);
    await page.locator('#booking-form').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal((await server.admin.figures('alone')).issued, 2, 'no new place was taken');
  });
});
