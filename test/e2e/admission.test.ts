import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { openBookingPage } from './helpers/open-booking-page.js';
import { waitForStatus } from './helpers/read-gate.js';

/** A JSON error answer of the server. */
interface ErrorBody {
  error: { code: string; message: string };
}

describe('a visitor whose turn comes', () => {
  const chromium = useChromium();

  it('gets the booking form with the admission, books once, and nobody books twice or without one', async (t) => {
    const server = await startE2eServer(t);
    await server.admin.createStillRoom('turn');
    const context = await chromium.newContext(t);
    const page = await openBookingPage(context, server.url, 'turn');
    const waiting = await waitForStatus(page, 'waiting');
    const form = page.locator('#booking-form');
    assert.equal(await form.isVisible(), false, 'the form stays hidden while waiting');
    assert.equal(await page.locator('input[name="queue_admission"]').count(), 0);

    await server.admin.advance('turn', waiting.seq!);
    const admitted = await waitForStatus(page, 'admitted');
    assert.ok(admitted.admission, 'the element holds an admission');
    await form.waitFor({ state: 'visible', timeout: 5000 });
    const field = form.locator('input[type="hidden"][name="queue_admission"]');
    assert.equal(await field.inputValue(), admitted.admission, 'the form carries the admission');

    await page.fill('#name', 'Kim Minji');
    await page.fill('#date', '2026-12-24');
    const [booking] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/demo/book'),
      page.click('#booking-form button[type="submit"]'),
    ]);
    assert.equal(booking.status(), 200, 'the first submission books');
    await page.waitForLoadState('domcontentloaded');
    assert.equal(await page.locator('h1').textContent(), 'Booked');
    assert.match((await page.locator('main').textContent()) ?? '', /Kim Minji/);

    // The visitor goes back: the page asks the queue server about the admission it kept, learns
    // the place was used to book, and says so instead of offering the form again.
    await page.goBack();
    const back = await waitForStatus(page, 'booked');
    assert.equal(back.admission, null, 'the used admission is not offered again');
    assert.equal(await form.isVisible(), false, 'the form stays hidden after the booking');
    const gateText = await page.locator('queue-gate').evaluate((el) => el.shadowRoot!.textContent);
    assert.match(gateText ?? '', /already used to book/);
    assert.equal(
      await page
        .locator('queue-gate')
        .evaluate((el) => Boolean(el.shadowRoot!.querySelector('[part="rejoin-button"]'))),
      true,
      'the visitor can join the line again',
    );

    // The same admission sent again by hand: single use, and a browser gets the way back.
    const again = await fetch(`${server.url}/demo/book?room=turn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({
        name: 'Kim Minji',
        date: '2026-12-24',
        queue_admission: admitted.admission!,
      }),
    });
    assert.equal(again.status, 409, 'the same admission is refused the second time');
    const refusal = await again.text();
    assert.match(refusal, /already/i);
    assert.match(
      refusal,
      /href="\/booking\.html\?room=turn"/,
      'the refusal page links back to the line',
    );

    const bookUrl = `${server.url}/demo/book?room=turn`;
    const without = await fetch(bookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Kim Minji', date: '2026-12-24' }),
    });
    assert.equal(without.status, 401, 'booking without an admission is refused');
    assert.equal(((await without.json()) as ErrorBody).error.code, 'token_missing');
  });
});
