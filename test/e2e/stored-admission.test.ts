import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { bookingPageUrl } from './helpers/open-booking-page.js';
import { waitForStatus } from './helpers/read-gate.js';

/** The statuses the page's gate went through, recorded from its first event on. */
declare global {
  interface Window {
    gateStatuses?: string[];
  }
}

/**
 * Opens the booking page in a new tab of `context` (a fresh sessionStorage, sharing the
 * context's localStorage, like a tab a visitor opens), recording every status of its gate.
 */
async function openTab(context: BrowserContext, url: string, room: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.gateStatuses = [];
    document.addEventListener('queue-gate-change', (event) =>
      window.gateStatuses!.push((event as Event & { status: string }).status),
    );
  });
  await page.goto(bookingPageUrl(url, room));
  return page;
}

/** An admission nobody issued, JWT-shaped, as a "skip the line" script would write it. */
function forgedAdmission(seq: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    part({ alg: 'EdDSA', typ: 'queue-gate-admission+jwt', kid: 'made-up' }),
    part({ sub: 'me', room: 'stored', seq, jti: 'made-up', exp: 9e9, placeExp: 9e9 }),
    'c2lnbmF0dXJl',
  ].join('.');
}

describe('an admission found in storage, against the real server', () => {
  const chromium = useChromium();

  it('is confirmed with the server before the form shows, and a made-up one never shows it', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('stored');
    const context = await chromium.newContext(t);

    const first = await openTab(context, server.url, 'stored');
    const waiting = await waitForStatus(first, 'waiting');
    await first.close();
    // The ticket is real; the admission next to it is not, and the turn has not come.
    // Written from a plain page of the same origin, as a DevTools console or an extension would.
    const devtools = await context.newPage();
    await devtools.goto(`${server.url}/healthz`);
    const planted = await devtools.evaluate(
      ({ origin, admission }) => {
        const key = `queue-gate:v1:ticket:${origin}:stored`;
        const stored = JSON.parse(localStorage.getItem(key)!) as Record<string, unknown>;
        localStorage.setItem(
          key,
          JSON.stringify({ ...stored, admission, admissionExpiresAt: Date.now() + 120_000 }),
        );
        return stored.seq as number;
      },
      { origin: server.url, admission: forgedAdmission(waiting.seq!) },
    );
    assert.equal(planted, waiting.seq);
    await devtools.close();

    const tab = await openTab(context, server.url, 'stored');
    const claims: number[] = [];
    tab.on('response', (response) => {
      if (new URL(response.url()).pathname === '/rooms/stored/admit')
        claims.push(response.status());
    });
    const back = await waitForStatus(tab, 'waiting');
    assert.equal(back.seq, waiting.seq, 'the real place is kept');
    assert.equal(back.admission, null);
    assert.equal(await tab.locator('#booking-form').isVisible(), false, 'the form stays hidden');
    const statuses = await tab.evaluate(() => window.gateStatuses);
    assert.ok(statuses?.includes('admitting'), `asked the server first: ${String(statuses)}`);
    assert.ok(!statuses?.includes('admitted'), `never admitted: ${String(statuses)}`);
    assert.deepEqual(claims, [409], 'the claim was refused as not the visitor’s turn yet');

    // When the turn comes, the form opens with the server's own admission.
    await server.admin.advance('stored', waiting.seq!);
    const admitted = await waitForStatus(tab, 'admitted');
    await tab.locator('#booking-form').waitFor({ state: 'visible', timeout: 5000 });
    assert.notEqual(admitted.admission, forgedAdmission(waiting.seq!));
    const field = tab.locator('#booking-form input[name="queue_admission"]');
    assert.equal(await field.inputValue(), admitted.admission);
    await tab.close();

    // A reload (here a new tab) with the real admission stored asks again and gets the same.
    const reopened = await openTab(context, server.url, 'stored');
    const again = await waitForStatus(reopened, 'admitted');
    assert.equal(again.admission, admitted.admission, 'claiming is idempotent');
    const seen = await reopened.evaluate(() => window.gateStatuses);
    assert.equal(seen?.[seen.indexOf('admitted') - 1], 'admitting', String(seen));
  });
});
