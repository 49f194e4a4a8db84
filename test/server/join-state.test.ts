import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('join and state over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('hands out consecutive places to new visitors', async () => {
    const first = await join(server);
    const second = await join(server);
    assert.equal(first.status, 200);
    assert.equal(second.json.seq, first.json.seq + 1);
    assert.equal(first.json.position, first.json.seq - first.json.serving);
    assert.equal(first.json.status, 'open');
    assert.equal(first.json.holdSeconds, 300);
    assert.ok(first.json.ticketExpiresAt > server.clock.now());
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(first.json.serverTime, server.clock.now(), 'the clock reference for the client');
  });

  it('returns the same place when a visitor joins again with their ticket', async () => {
    const first = await join(server);
    await join(server);
    const again = await join(server, 'demo', first.json.ticket);
    assert.equal(again.status, 200);
    assert.equal(again.json.seq, first.json.seq);
    assert.equal(again.json.ticket, first.json.ticket);
  });

  it('refuses a ticket of another room with token_wrong_room', async () => {
    await adminCall(server, 'PUT', 'other', { admitPerMinute: 0 });
    const other = await join(server, 'other');
    const refused = await join(server, 'demo', other.json.ticket);
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error.code, 'token_wrong_room');
  });

  it('grows pollAfterMs with the distance from the front', async () => {
    const near = await join(server);
    for (let i = 0; i < 200; i += 1) await join(server);
    const far = await join(server);
    assert.ok(
      far.json.pollAfterMs > near.json.pollAfterMs,
      `${far.json.pollAfterMs} > ${near.json.pollAfterMs}`,
    );
  });

  it('serves the same bytes to every visitor with CDN-friendly caching headers', async () => {
    const a = await fetch(`${server.url}/rooms/demo/state`);
    const b = await fetch(`${server.url}/rooms/demo/state`, { headers: { Cookie: 'visitor=b' } });
    const textA = await a.text();
    assert.equal(a.status, 200);
    assert.equal(textA, await b.text());
    assert.equal(
      a.headers.get('cache-control'),
      'public, max-age=1, s-maxage=1, stale-while-revalidate=5',
    );
    assert.ok(a.headers.get('etag'));
    assert.equal(a.headers.get('etag'), b.headers.get('etag'));
    const state = JSON.parse(textA);
    assert.deepEqual(Object.keys(state).sort(), [
      'issued',
      'pollAfterMs',
      'ratePerSec',
      'serving',
      'status',
      'updatedAt',
    ]);
  });

  it('answers 304 to a matching If-None-Match and a new ETag once the line moves', async () => {
    const first = await fetch(`${server.url}/rooms/demo/state`);
    const etag = first.headers.get('etag')!;
    const cached = await fetch(`${server.url}/rooms/demo/state`, {
      headers: { 'If-None-Match': etag },
    });
    assert.equal(cached.status, 304);
    assert.equal(cached.headers.get('etag'), etag);
    assert.equal(await cached.text(), '');
    const moved = await adminCall(server, 'POST', 'demo/advance', { by: 1 });
    assert.equal(moved.status, 200);
    const fresh = await fetch(`${server.url}/rooms/demo/state`, {
      headers: { 'If-None-Match': etag },
    });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.headers.get('etag'), etag);
    assert.equal(
      (await fresh.json()).serving,
      (JSON.parse(await first.text()) as { serving: number }).serving + 1,
    );
  });

  it('answers HEAD on the state with the same ETag and no body', async () => {
    const full = await fetch(`${server.url}/rooms/demo/state`);
    const head = await fetch(`${server.url}/rooms/demo/state`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), full.headers.get('etag'));
    assert.equal(await head.text(), '');
  });

  it('reports opensAt in the state when the room has a scheduled opening', async () => {
    const opensAt = server.clock.now() + 3_600_000;
    await fetch(`${server.url}/admin/rooms/later`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ opensAt }),
    });
    const state = await (await fetch(`${server.url}/rooms/later/state`)).json();
    assert.equal(state.opensAt, opensAt);
  });
});
