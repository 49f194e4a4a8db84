import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { startQueueServer } from '../../src/server/index.js';
import { createAdminClient } from './helpers/admin-client.js';
import { useChromium } from './helpers/chromium.js';
import { bookingPageUrl } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/**
 * A real server whose clock the test moves, so the page's clock (Playwright's `page.clock`) and
 * the server's can jump together, as when a laptop lid is closed for a while.
 */
async function startServerWithClock(t: TestContext) {
  let skewMs = 0;
  const adminToken = 'audit-asleep-'.padEnd(40, 'x');
  const server = await startQueueServer({
    port: 0,
    dataDir: null,
    adminToken,
    rooms: {},
    now: () => Date.now() + skewMs,
  });
  t.after(() => server.close());
  return {
    url: server.url,
    admin: createAdminClient(() => server.url, adminToken),
    /** The device sleeps `ms`: both clocks jump, the page's timers fire once on waking. */
    async sleep(page: Page, ms: number) {
      skewMs += ms;
      await page.clock.fastForward(ms);
    },
  };
}

/** Opens the booking page with an installed page clock, recording `queue-gate-error` codes. */
async function openWithClock(page: Page, url: string): Promise<() => Promise<string[]>> {
  await page.clock.install();
  await page.addInitScript(() => {
    const codes: string[] = [];
    (window as unknown as { errorCodes: string[] }).errorCodes = codes;
    document.addEventListener('queue-gate-error', (event) =>
      codes.push((event as Event & { problem: { code: string } }).problem.code),
    );
  });
  await page.goto(url);
  return () => page.evaluate(() => (window as unknown as { errorCodes: string[] }).errorCodes);
}

const panelText = (page: Page) =>
  page.locator('queue-gate').evaluate((el) => el.shadowRoot!.textContent ?? '');

describe('a visitor whose device sleeps', () => {
  const chromium = useChromium();

  it('is told once that the admission ran out, claims again, and past the hold is told the turn went', async (t) => {
    const server = await startServerWithClock(t);
    await server.admin.createStillRoom('asleep');
    const page = await (await chromium.newContext(t)).newPage();
    const errorCodes = await openWithClock(page, bookingPageUrl(server.url, 'asleep'));
    const waiting = await waitForStatus(page, 'waiting');
    await server.admin.advance('asleep', waiting.seq!);
    const first = await waitForStatus(page, 'admitted');
    const form = page.locator('#booking-form');
    await form.waitFor({ state: 'visible' });

    // Asleep past the admission's two minutes, but well within the five-minute hold.
    await server.sleep(page, 125_000);
    const reclaim = page.locator('queue-gate [part~="reclaim-button"]');
    await reclaim.waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await form.isVisible(), false, 'the form is hidden again');
    // Both the page's clock and the engine's timer see it go; the page hears of it once.
    await new Promise((resume) => setTimeout(resume, 1500));
    assert.deepEqual(await errorCodes(), ['admission_expired']);

    await reclaim.click();
    const second = await waitUntil(
      async () => {
        const gate = await readGate(page);
        return gate?.admission && gate.admission !== first.admission ? gate : undefined;
      },
      { what: 'a fresh admission' },
    );
    assert.equal(second.seq, first.seq);
    await form.waitFor({ state: 'visible', timeout: 5000 });

    // Asleep again, this time past the hold of the turn: nothing can be claimed any more.
    await server.sleep(page, 400_000);
    await reclaim.waitFor({ state: 'visible', timeout: 5000 });
    await reclaim.click();
    await waitForStatus(page, 'rejected');
    assert.match(await panelText(page), /came and went/);
    assert.deepEqual(await errorCodes(), [
      'admission_expired',
      'admission_expired',
      'hold_expired',
    ]);
  });

  it('keeps the place through a sleep longer than the ticket lives, and across a reload after it', async (t) => {
    const server = await startServerWithClock(t);
    await server.admin.createStillRoom('long-sleep');
    await server.admin.joinFromNode('long-sleep');
    const page = await (await chromium.newContext(t)).newPage();
    await openWithClock(page, bookingPageUrl(server.url, 'long-sleep'));
    const joined = await waitForStatus(page, 'waiting');
    const HOUR = 3_600_000;

    // The reference server's tickets live 24 hours.
    await server.sleep(page, 25 * HOUR);
    // Then two more days of waiting, the tab waking every six hours.
    for (let i = 0; i < 8; i += 1) {
      await server.sleep(page, 6 * HOUR);
      await new Promise((resume) => setTimeout(resume, 500));
    }
    const awake = await waitForStatus(page, 'waiting', 20_000);
    assert.equal(awake.seq, joined.seq, 'the same place after three days');
    await page.reload();
    const reloaded = await waitForStatus(page, 'waiting');
    assert.equal(reloaded.seq, joined.seq, 'a reload after it keeps the place');
    assert.equal((await server.admin.figures('long-sleep')).issued, 2, 'no new place was taken');
  });
});
