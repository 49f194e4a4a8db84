/**
 * Outside audit: "tickets live as long as their place". Before the fix, only an expired ticket
 * was checked against its place; a valid one past half its life was re-signed on every rejoin,
 * so the ticket of a place that had booked (or whose hold was long over) could be kept alive
 * forever by rejoining every 13 hours. A refresh now needs a live place; the ticket then runs
 * out and is refused like any other.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adminCall, admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const HOUR = 3600_000;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function server() {
  const started = await startTestServer({
    rooms: { demo: { admitPerMinute: 0, holdSeconds: 60 } },
  });
  servers.push(started);
  return started;
}

describe('audit: refreshing the ticket of a place that is gone', () => {
  it('does not refresh the ticket of a booked place, and refuses it once expired', async () => {
    const queue = await server();
    const visitor = await join(queue);
    await adminCall(queue, 'POST', 'demo/advance', { by: 1 });
    const claim = await admit(queue, visitor.json.ticket);
    const booked = await postJson(`${queue.url}/demo/book?room=demo`, undefined, {
      Authorization: `Bearer ${claim.json.admission}`,
    });
    assert.equal(booked.status, 200);
    queue.clock.advance(13 * HOUR); // past half of the 24 h life
    const back = await join(queue, 'demo', visitor.json.ticket);
    assert.equal(back.status, 200);
    assert.equal(back.json.ticket, visitor.json.ticket, 'answered as it is, not refreshed');
    assert.equal(back.json.ticketExpiresAt, visitor.json.ticketExpiresAt);
    queue.clock.advance(12 * HOUR); // expired
    const gone = await join(queue, 'demo', back.json.ticket);
    assert.equal(gone.status, 401);
    assert.equal(gone.json.error.code, 'token_expired');
  });

  it('does not refresh the ticket of a place whose hold is over', async () => {
    const queue = await server();
    const visitor = await join(queue);
    await adminCall(queue, 'POST', 'demo/advance', { by: 1 });
    queue.clock.advance(13 * HOUR);
    const back = await join(queue, 'demo', visitor.json.ticket);
    assert.equal(back.status, 200);
    assert.equal(back.json.ticket, visitor.json.ticket);
  });

  it('still refreshes the ticket of a place that waits', async () => {
    const queue = await server();
    await join(queue);
    const visitor = await join(queue);
    await adminCall(queue, 'POST', 'demo/advance', { by: 1 });
    queue.clock.advance(13 * HOUR);
    const back = await join(queue, 'demo', visitor.json.ticket);
    assert.equal(back.status, 200);
    assert.equal(back.json.seq, 2);
    assert.notEqual(back.json.ticket, visitor.json.ticket, 'a refreshed ticket');
    assert.ok(back.json.ticketExpiresAt > visitor.json.ticketExpiresAt);
  });
});
