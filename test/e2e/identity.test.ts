import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import type { E2eServer } from './helpers/e2e-server.js';
import { bookingPageUrl } from './helpers/open-booking-page.js';
import { waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/**
 * A still room that binds places to the person, trusting the server's DEMO identity issuer (the
 * one behind `/booking.html?user=NAME`), as a site trusts its own sign-in's keys.
 */
async function createIdentityRoom(server: E2eServer, room: string, required = false) {
  await server.admin.createStillRoom(room);
  const settings = (await (await fetch(`${server.url}/demo/identity/settings`)).json()) as object;
  await server.admin.configure(room, { identity: settings, identityRequired: required });
}

/** Opens the booking page of `room` in `context`, signed in as `user` (or nobody). */
async function openAs(
  context: BrowserContext,
  server: E2eServer,
  room: string,
  user: string | null,
): Promise<Page> {
  const url = new URL(bookingPageUrl(server.url, room));
  if (user) url.searchParams.set('user', user);
  const page = await context.newPage();
  const response = await page.goto(url.href);
  assert.ok(response?.ok(), `the booking page answered ${response?.status()}`);
  return page;
}

describe('places bound to the signed-in person, across devices', () => {
  const chromium = useChromium();

  it('one person gets one place on every device, even with nothing stored; another person gets their own', async (t) => {
    const server = await startE2eServer(t);
    await createIdentityRoom(server, 'person');
    await server.admin.joinFromNode('person');

    const phone = await openAs(await chromium.newContext(t), server, 'person', 'alice');
    const onPhone = await waitForStatus(phone, 'waiting');
    const laptop = await openAs(await chromium.newContext(t), server, 'person', 'alice');
    const onLaptop = await waitForStatus(laptop, 'waiting');
    assert.equal(onPhone.seq, 2);
    assert.equal(onLaptop.seq, onPhone.seq, 'the second device shows the same place');
    assert.equal((await server.admin.figures('person')).issued, 2, 'no second place for alice');

    // A private window (nothing stored, no other tab to put a ticket back): the place comes
    // back from the identity alone.
    const privateWindow = await openAs(await chromium.newContext(t), server, 'person', 'alice');
    const again = await waitForStatus(privateWindow, 'waiting');
    assert.equal(again.seq, onPhone.seq, 'the same place with nothing stored');
    assert.equal((await server.admin.figures('person')).issued, 2, 'still no second place');

    const bob = await openAs(await chromium.newContext(t), server, 'person', 'bob');
    const forBob = await waitForStatus(bob, 'waiting');
    assert.equal(forBob.seq, 3, 'another person takes a place of their own');
    assert.equal((await server.admin.figures('person')).issued, 3);
  });

  it('a visitor who joined anonymously and then signs in keeps the place, now bound to them', async (t) => {
    const server = await startE2eServer(t);
    await createIdentityRoom(server, 'bind');
    await server.admin.joinFromNode('bind');

    const page = await openAs(await chromium.newContext(t), server, 'bind', null);
    const anonymous = await waitForStatus(page, 'waiting');
    assert.equal(anonymous.seq, 2);
    // Listening first: the join can go out before a listener added afterwards is in place.
    const joins: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/rooms/bind/join')
        joins.push(request.postData() ?? '');
    });
    // The site signs the visitor in: the page points the element at its identity URL.
    await page.evaluate(() => {
      document
        .querySelector('queue-gate')!
        .setAttribute('identity-url', '/demo/identity?user=carol');
    });
    await waitUntil(async () => (joins.length > 0 ? true : undefined), {
      what: 'a join with the identity after signing in',
    });
    const sent = JSON.parse(joins[0]!) as { ticket?: string; identity?: string };
    assert.ok(sent.ticket && sent.identity, 'the join brings the ticket and the identity');
    assert.equal((await waitForStatus(page, 'waiting')).seq, anonymous.seq, 'the place is kept');

    // Bound: carol on another device finds that very place, and no new one is taken.
    const other = await openAs(await chromium.newContext(t), server, 'bind', 'carol');
    assert.equal((await waitForStatus(other, 'waiting')).seq, anonymous.seq);
    assert.equal((await server.admin.figures('bind')).issued, 2);
  });

  it('a room that requires a sign-in asks for it without polling, and lets the visitor in once signed in', async (t) => {
    const server = await startE2eServer(t);
    await createIdentityRoom(server, 'members', true);
    const page = await openAs(await chromium.newContext(t), server, 'members', null);
    await waitForStatus(page, 'sign-in-required');
    const text = await page.evaluate(
      () => document.querySelector('queue-gate')!.shadowRoot!.textContent ?? '',
    );
    assert.match(text, /Please sign in to join this line/);

    let requests = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/rooms/members/')) requests += 1;
    });
    await new Promise((resume) => setTimeout(resume, 3000));
    assert.equal(requests, 0, 'nothing is polled while the visitor is not signed in');

    await page.evaluate(() => {
      document
        .querySelector('queue-gate')!
        .setAttribute('identity-url', '/demo/identity?user=dana');
    });
    assert.equal((await waitForStatus(page, 'waiting')).seq, 1);
  });
});
