import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { bookingPageUrl } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/** Resolves with `page` at its next answered request to the room. */
function nextRoomRequest(page: Page, room: string): Promise<Page> {
  return page
    .waitForResponse((response) => new URL(response.url()).pathname.startsWith(`/rooms/${room}/`), {
      timeout: 15_000,
    })
    .then(() => page);
}

describe('a visitor who opens the booking page in three tabs at once', () => {
  const chromium = useChromium();

  // Either tab may send the form; the one that stays must end the journey too. A following tab
  // that books tells the leading one as it leaves, and the leading one asks the server.
  for (const books of ['leading', 'following'] as const) {
    it(`holds one place, hands over when the leading tab closes, and books once from the ${books} tab`, async (t) => {
      const server = await startE2eServer(t);
      await server.admin.createStillRoom('three');
      await server.admin.joinFromNode('three');
      const context = await chromium.newContext(t);
      const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
      // All three load together: none of them has found a ticket in storage yet.
      await Promise.all(tabs.map((tab) => tab.goto(bookingPageUrl(server.url, 'three'))));
      for (const tab of tabs) assert.equal((await waitForStatus(tab, 'waiting')).seq, 2);
      assert.equal((await server.admin.figures('three')).issued, 2, 'one place for three tabs');

      const leader = await Promise.race(tabs.map((tab) => nextRoomRequest(tab, 'three')));
      await leader.close();
      const rest = tabs.filter((tab) => tab !== leader);
      await server.admin.advance('three', 1);
      for (const tab of rest) {
        await waitUntil(async () => ((await readGate(tab))?.position === 1 ? true : undefined), {
          what: 'the remaining tabs to follow the line after the leading tab closed',
        });
      }

      // The tab that took over is the one that talks to the server now.
      const newLeader = await Promise.race(rest.map((tab) => nextRoomRequest(tab, 'three')));
      await server.admin.advance('three', 1);
      const admissions = [];
      for (const tab of rest) admissions.push((await waitForStatus(tab, 'admitted')).admission);
      assert.ok(admissions[0]);
      assert.equal(admissions[1], admissions[0], 'one admission for the place, in every tab');
      assert.equal((await server.admin.figures('three')).issued, 2, 'still one place');

      // One tab books the plain way and leaves the page. If it led, the other takes over, asks the
      // server about the admission it finds in storage and learns the place was used; if it
      // followed, it asks the leading tab to ask the server.
      const follower = rest.find((tab) => tab !== newLeader)!;
      const booker = books === 'leading' ? newLeader : follower;
      const other = books === 'leading' ? follower : newLeader;
      await booker.fill('#name', 'Kim Minji');
      await booker.fill('#date', '2026-12-24');
      const [booking] = await Promise.all([
        booker.waitForResponse((response) => new URL(response.url()).pathname === '/demo/book'),
        booker.click('#booking-form button[type="submit"]'),
      ]);
      assert.equal(booking.status(), 200);
      // The other tab learns the journey ended: no form left to send a second time.
      const ended = await waitForStatus(other, 'booked');
      assert.equal(ended.admission, null);
      assert.equal(await other.locator('#booking-form').isVisible(), false);
    });
  }
});
