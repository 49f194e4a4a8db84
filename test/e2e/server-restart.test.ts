import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { openBookingPage } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/**
 * How long a page may take to find the server back by itself. Its retries back off with full
 * jitter (windows of 1, 2, 4, 8 s…), so after a few seconds down the next try can be up to
 * ~8 s away; the bound leaves room for that without ever hanging.
 */
const RECOVERY_MS = 25_000;

describe('visitors waiting while the server crashes and restarts', () => {
  const chromium = useChromium();

  it('keeps each visitor’s place, recovers without a reload, and then admits them in order', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('crash');
    // Two visitors: two separate browser profiles, so two tickets and two places.
    const pages: Page[] = [];
    for (let i = 0; i < 2; i += 1) {
      const context = await chromium.newContext(t);
      const page = await openBookingPage(context, server.url, 'crash');
      await waitForStatus(page, 'waiting');
      pages.push(page);
    }
    const [first, second] = pages as [Page, Page];
    const seqsBefore = [(await readGate(first))!.seq, (await readGate(second))!.seq];
    assert.deepEqual(seqsBefore, [1, 2]);
    // A navigation would mean the page was reloaded: the recovery must happen in place.
    let navigations = 0;
    for (const page of pages) page.on('framenavigated', () => (navigations += 1));

    await server.crash();
    for (const page of pages) {
      const lost = await waitForStatus(page, 'reconnecting');
      assert.equal(lost.seq, seqsBefore[pages.indexOf(page)], 'the place is kept while down');
    }
    await server.restart();
    const seqsAfter = [];
    for (const page of pages)
      seqsAfter.push((await waitForStatus(page, 'waiting', RECOVERY_MS)).seq);
    assert.deepEqual(seqsAfter, seqsBefore, 'each visitor keeps their place across the crash');
    assert.equal(navigations, 0, 'no page was reloaded');
    assert.equal((await server.admin.figures('crash')).serving, 0, 'the line did not move');

    await server.admin.advance('crash', 1);
    const firstIn = await waitForStatus(first, 'admitted');
    assert.ok(firstIn.admission);
    // The second visitor sees the line move to them, and still waits for their own turn.
    const nextInLine = await waitUntil(
      async () => {
        const gate = await readGate(second);
        return gate?.position === 1 ? gate : undefined;
      },
      { what: 'the second visitor to see the line move' },
    );
    assert.equal(nextInLine.status, 'waiting', 'the second visitor waits for their own turn');

    await server.admin.advance('crash', 1);
    const secondIn = await waitForStatus(second, 'admitted');
    assert.ok(secondIn.admission);
    assert.notEqual(secondIn.admission, firstIn.admission);
  });
});
