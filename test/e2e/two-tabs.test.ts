import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { openBookingPage } from './helpers/open-booking-page.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/** Long enough for the polling tab to poll a few times (the room asks for one poll a second). */
const OBSERVE_MS = 4000;

describe('a visitor with the booking page open in two tabs', () => {
  const chromium = useChromium();

  it('shares one place between the tabs, and only one tab polls the server', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('tabs');
    await server.admin.joinFromNode('tabs');
    const context = await chromium.newContext(t);

    const first = await openBookingPage(context, server.url, 'tabs');
    const inFirst = await waitForStatus(first, 'waiting');
    const second = await openBookingPage(context, server.url, 'tabs');
    const inSecond = await waitForStatus(second, 'waiting');
    assert.equal(inFirst.seq, 2);
    assert.equal(inSecond.seq, inFirst.seq, 'the second tab shows the same place');
    assert.equal((await server.admin.figures('tabs')).issued, 2, 'the second tab took no place');

    const statePolls = new Map<Page, number>([
      [first, 0],
      [second, 0],
    ]);
    for (const page of [first, second]) {
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/rooms/tabs/state') {
          statePolls.set(page, statePolls.get(page)! + 1);
        }
      });
    }
    await new Promise((resume) => setTimeout(resume, OBSERVE_MS));
    const counts = [statePolls.get(first)!, statePolls.get(second)!].sort((a, b) => a - b);
    assert.equal(counts[0], 0, `one tab stays quiet (polls per tab: ${counts.join(', ')})`);
    assert.ok(counts[1]! > 0, 'the other tab polls');

    // The quiet tab still follows the line: what the polling tab learns reaches it too.
    await server.admin.advance('tabs', 1);
    for (const page of [first, second]) {
      await waitUntil(async () => ((await readGate(page))?.position === 1 ? true : undefined), {
        what: 'both tabs to show the line moved',
      });
    }
  });
});
