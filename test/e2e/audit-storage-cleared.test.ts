import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { openBookingPage } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/** Resolves at the page's next answered state poll of `room`. */
function nextStatePoll(page: Page, room: string): Promise<unknown> {
  return page.waitForResponse(
    (response) => new URL(response.url()).pathname === `/rooms/${room}/state`,
    { timeout: 15_000 },
  );
}

/**
 * The site's data is cleared while the visitor waits: a logout script's `localStorage.clear()`,
 * "clear site data", a privacy extension. The page still holds the place and still says "You
 * can safely reload this page; your place is kept", so neither a reload nor the closing of the
 * tab that talks to the server may send the visitor to the back of the line.
 */
describe('a visitor whose site data is cleared while waiting', () => {
  const chromium = useChromium();

  it('keeps the place across a reload that follows the clearing', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('wiped');
    await server.admin.joinFromNode('wiped');
    const context = await chromium.newContext(t);
    const page = await openBookingPage(context, server.url, 'wiped');
    const joined = await waitForStatus(page, 'waiting');
    assert.equal(joined.seq, 2);

    const polled = nextStatePoll(page, 'wiped');
    await page.evaluate(() => localStorage.clear());
    await polled;
    await page.reload();
    const reloaded = await waitForStatus(page, 'waiting');
    assert.equal(reloaded.seq, joined.seq, 'the reload keeps the place');
    assert.equal((await server.admin.figures('wiped')).issued, 2, 'no new place was taken');
  });

  it('keeps the place when another tab cleared the data and the leading tab then closes', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('wiped2');
    const context = await chromium.newContext(t);
    const tabs = [
      await openBookingPage(context, server.url, 'wiped2'),
      await openBookingPage(context, server.url, 'wiped2'),
    ];
    for (const tab of tabs) assert.equal((await waitForStatus(tab, 'waiting')).seq, 1);
    // The leading tab is the one that polls.
    const leader = await Promise.race(
      tabs.map((tab) => nextStatePoll(tab, 'wiped2').then(() => tab)),
    );
    const other = tabs.find((tab) => tab !== leader)!;

    await other.evaluate(() => localStorage.clear());
    // The leader hears of it through the storage event; give it a moment, not a poll.
    await new Promise((resume) => setTimeout(resume, 300));
    await leader.close();
    const after = await waitUntil(
      async () => {
        const gate = await readGate(other);
        return gate?.status === 'waiting' && gate.seq !== null ? gate : undefined;
      },
      { what: 'the remaining tab to lead' },
    );
    // Give a wrong start the time to show: the new leader joins at once if it joins at all.
    await nextStatePoll(other, 'wiped2');
    assert.equal((await readGate(other))?.seq, 1, `the same place (first seen: ${after.seq})`);
    assert.equal((await server.admin.figures('wiped2')).issued, 1, 'no new place was taken');
  });
});
