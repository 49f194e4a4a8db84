import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/element/translations/en.js';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { openBookingPage } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

describe('a visitor waiting on the sample booking page', () => {
  const chromium = useChromium();

  it('joins and waits, keeps the same place across a reload and while offline, and resumes online', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('line');
    // Two people already in line, so the numbers shown are ones the page must get right.
    await server.admin.joinFromNode('line');
    await server.admin.joinFromNode('line');
    const context = await chromium.newContext(t);
    const page = await openBookingPage(context, server.url, 'line');

    const joined = await waitForStatus(page, 'waiting');
    assert.equal(joined.seq, 3, 'the third visitor of the room gets place 3');
    // The protocol's position is seq - serving: the places the line must move before this turn.
    assert.equal(joined.position, 3);
    const gate = page.locator('queue-gate');
    assert.equal((await gate.locator('[part~="position"]').textContent())?.trim(), '3');
    // Places 1 and 2 are still ahead: the screen counts people, not the visitor's own place.
    assert.equal((await gate.locator('[part~="ahead"]').textContent())?.trim(), '2 people');
    assert.equal(await page.locator('#booking-form').isVisible(), false, 'no form before the turn');

    await page.reload();
    const reloaded = await waitForStatus(page, 'waiting');
    assert.equal(reloaded.seq, joined.seq, 'a reload keeps the place');
    assert.equal((await server.admin.figures('line')).issued, 3, 'a reload takes no new place');

    await context.setOffline(true);
    const offline = await waitForStatus(page, 'reconnecting');
    assert.equal(offline.seq, joined.seq, 'going offline keeps the place');
    // The first failures are retried quietly on the waiting screen; lasting ones change it.
    await waitUntil(
      async () =>
        (await gate.locator('[part~="title"]').textContent()) === en.reconnectingTitle || undefined,
      { what: 'the "connection lost" screen', timeoutMs: 60_000 },
    );
    assert.match(
      (await gate.locator('[part~="notice"]').first().textContent()) ?? '',
      /cannot reach the waiting room/,
    );
    assert.equal(await gate.locator('[part~="retry-button"]').isVisible(), true);

    await context.setOffline(false);
    const online = await waitForStatus(page, 'waiting');
    assert.equal(online.seq, joined.seq, 'back online, the same place');
    assert.equal((await readGate(page))?.position, 3);
    assert.equal((await server.admin.figures('line')).issued, 3, 'still nobody new in line');
  });
});
