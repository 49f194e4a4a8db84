/**
 * Outside audit: an opening draw cannot be switched off once visitors registered for it. Before
 * the fix, `PUT /admin/rooms/:room { "opensAt": null }` was accepted while pre-open tickets were
 * out: the draw never ran, later arrivals got seq 1, 2, … and every pre-open visitor was left
 * with a pre-open ticket renewed on each rejoin forever and `409 not_your_turn` on every claim.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adminCall, admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const HOUR = 3600_000;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

describe('audit: removing a scheduled opening', () => {
  it('refuses opensAt: null once the room has a draw, and the early visitor keeps the place', async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    const opensAt = queue.clock.now() + 2 * HOUR;
    const put = await adminCall(queue, 'PUT', 'launch', {
      admitPerMinute: 0,
      holdSeconds: 60,
      opensAt,
    });
    assert.equal(put.status, 201);
    const early = await join(queue, 'launch');
    assert.equal(early.json.pre, true);

    const removed = await adminCall(queue, 'PUT', 'launch', { opensAt: null });
    assert.equal(removed.status, 400, 'the opening of a room with a draw cannot be removed');
    assert.equal(
      ((await removed.json()) as { error: { code: string } }).error.code,
      'invalid_body',
    );

    // Opening at once is what the operator can do instead: the draw runs, the place is kept.
    const now = await adminCall(queue, 'PUT', 'launch', { opensAt: queue.clock.now() });
    assert.equal(now.status, 200);
    const late = await join(queue, 'launch');
    const drawn = await join(queue, 'launch', early.json.ticket);
    assert.equal(drawn.status, 200);
    assert.equal(drawn.json.pre, undefined, 'the pre-open ticket is exchanged for its drawn place');
    assert.equal(drawn.json.seq, 1, 'the early visitor is first, ahead of anyone arriving later');
    assert.equal(late.json.seq, 2);
    await adminCall(queue, 'POST', 'launch/advance', { by: 1 });
    assert.equal((await admit(queue, early.json.ticket, 'launch')).status, 200);
  });

  it('refuses opensAt: null after the draw ran too: pre-open tickets keep answering their seq', async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    const opensAt = queue.clock.now() + HOUR;
    await adminCall(queue, 'PUT', 'launch', { admitPerMinute: 0, holdSeconds: 600, opensAt });
    const early = await join(queue, 'launch');
    queue.clock.advance(HOUR + 1000);
    const drawn = await join(queue, 'launch', early.json.ticket);
    assert.equal(drawn.json.seq, 1);
    const removed = await adminCall(queue, 'PUT', 'launch', { opensAt: null });
    assert.equal(removed.status, 400);
    await adminCall(queue, 'POST', 'launch/advance', { by: 1 });
    const claim = await admit(queue, early.json.ticket, 'launch');
    assert.equal(claim.status, 200, 'the pre-open ticket still names the drawn place');
  });

  it('still lets a room without a draw clear its opensAt', async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    await adminCall(queue, 'PUT', 'plain', { admitPerMinute: 0 });
    const cleared = await adminCall(queue, 'PUT', 'plain', { opensAt: null });
    assert.equal(cleared.status, 200);
  });
});

describe('audit: an expired pre-open ticket after the draw', () => {
  /** A server with room `launch`, still, a 60 s hold, opening an hour from its clock's now. */
  const launchOpeningInAnHour = async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    await adminCall(queue, 'PUT', 'launch', {
      admitPerMinute: 0,
      holdSeconds: 60,
      opensAt: queue.clock.now() + HOUR,
    });
    return queue;
  };

  it('is refused like any expired ticket once its drawn place booked and its hold passed', async () => {
    const queue = await launchOpeningInAnHour();
    const pre = await join(queue, 'launch');
    queue.clock.advance(HOUR + 1000);
    const drawn = await join(queue, 'launch', pre.json.ticket);
    assert.equal(drawn.json.seq, 1);
    await adminCall(queue, 'POST', 'launch/advance', { by: 1 });
    const claim = await admit(queue, pre.json.ticket, 'launch');
    assert.equal(claim.status, 200);
    const booked = await postJson(`${queue.url}/demo/book?room=launch`, undefined, {
      Authorization: `Bearer ${claim.json.admission}`,
    });
    assert.equal(booked.status, 200);
    // Both tickets expired (a pre-open ticket lives at least 24 h); the place is long gone.
    queue.clock.advance(25 * HOUR);
    const ordinary = await join(queue, 'launch', drawn.json.ticket);
    assert.equal(ordinary.status, 401);
    assert.equal(ordinary.json.error.code, 'token_expired');
    const preOpen = await join(queue, 'launch', pre.json.ticket);
    assert.equal(
      preOpen.status,
      401,
      'no fresh ticket for a place that booked and whose hold is over',
    );
    assert.equal(preOpen.json.error.code, 'token_expired');
  });

  it('is still exchanged while its drawn place waits', async () => {
    const queue = await launchOpeningInAnHour();
    const pre = await join(queue, 'launch');
    queue.clock.advance(26 * HOUR); // expired, and the room never moved: the place waits
    const back = await join(queue, 'launch', pre.json.ticket);
    assert.equal(back.status, 200);
    assert.equal(back.json.seq, 1);
    assert.ok(back.json.ticketExpiresAt > queue.clock.now());
  });
});
