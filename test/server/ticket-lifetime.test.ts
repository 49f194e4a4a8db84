/**
 * A ticket lives as long as its place can matter: pre-open tickets outlive their opening, long
 * waits get refreshed tickets, and a ticket that expired while its place still lives is
 * re-issued, never dropped. Each of these failed before (a visitor registered 36 h before the
 * opening landed behind the whole draw).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { adminCall, admit, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const HOUR = 3600_000;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function server(rooms: Parameters<typeof startTestServer>[0] = {}) {
  const started = await startTestServer(rooms);
  servers.push(started);
  return started;
}

describe('ticket lifetimes', () => {
  it('a visitor who registers 36 h before the opening keeps the place through the draw', async () => {
    const queue = await server({ rooms: {} });
    const opensAt = queue.clock.now() + 36 * HOUR;
    await adminCall(queue, 'PUT', 'launch', { admitPerMinute: 0, holdSeconds: 300, opensAt });
    const early = await join(queue, 'launch');
    assert.equal(early.json.pre, true);
    assert.ok(
      early.json.ticketExpiresAt >= opensAt + 300_000,
      'the pre-open ticket outlives the opening and its hold',
    );
    queue.clock.advance(25 * HOUR);
    const back = await join(queue, 'launch', early.json.ticket);
    assert.equal(back.status, 200, 'a day later the ticket still names the registration');
    assert.equal(back.json.pre, true);
    // Arrivals after the opening come after everyone drawn.
    queue.clock.advance(11 * HOUR + 1000);
    const late = await join(queue, 'launch');
    const drawn = await join(queue, 'launch', early.json.ticket);
    assert.equal(drawn.status, 200);
    assert.ok(
      drawn.json.seq >= 1 && drawn.json.seq < late.json.seq,
      'drawn ahead of later arrivals',
    );
  });

  it('refreshes a ticket on a rejoin once half its life is gone: same place, later expiry', async () => {
    const queue = await server();
    const first = await join(queue);
    queue.clock.advance(6 * HOUR);
    const early = await join(queue, 'demo', first.json.ticket);
    assert.equal(early.json.ticket, first.json.ticket, 'no refresh while most of its life is left');
    queue.clock.advance(7 * HOUR);
    const refreshed = await join(queue, 'demo', first.json.ticket);
    assert.notEqual(refreshed.json.ticket, first.json.ticket);
    assert.equal(refreshed.json.seq, first.json.seq);
    assert.ok(refreshed.json.ticketExpiresAt > first.json.ticketExpiresAt);
    const [before, after] = [decodeJwt(first.json.ticket), decodeJwt(refreshed.json.ticket)];
    assert.equal(after.sub, before.sub, 'the same visitor');
  });

  it('re-issues an expired ticket whose place is still waiting', async () => {
    const queue = await server();
    const visitor = await join(queue);
    queue.clock.advance(25 * HOUR);
    const back = await join(queue, 'demo', visitor.json.ticket);
    assert.equal(back.status, 200);
    assert.equal(back.json.seq, visitor.json.seq, 'the same place, not the back of the line');
    assert.ok(back.json.ticketExpiresAt > queue.clock.now());
    await adminCall(queue, 'POST', 'demo/advance', { by: 1 });
    assert.equal((await admit(queue, back.json.ticket)).status, 200);
  });

  it('admits with an expired ticket while the hold of its turn lasts', async () => {
    const queue = await server({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 600 } } });
    const visitor = await join(queue);
    queue.clock.advance(24 * HOUR - 60_000);
    await adminCall(queue, 'POST', 'demo/advance', { by: 1 });
    queue.clock.advance(120_000); // the ticket expired a minute ago; the turn came 2 min ago
    const answer = await admit(queue, visitor.json.ticket);
    assert.equal(answer.status, 200);
  });

  it('refuses an expired ticket as expired once its place is gone', async () => {
    const queue = await server({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 60 } } });
    const visitor = await join(queue);
    await adminCall(queue, 'POST', 'demo/advance', { by: 1 });
    queue.clock.advance(25 * HOUR);
    const back = await join(queue, 'demo', visitor.json.ticket);
    assert.equal(back.status, 401);
    assert.equal(back.json.error.code, 'token_expired');
    const claim = await admit(queue, visitor.json.ticket);
    assert.equal(claim.status, 410);
    assert.equal(claim.json.error.code, 'hold_expired');
  });

  it('refuses an expired pre-open ticket the draw does not know', async () => {
    const queue = await server({ rooms: {} });
    const opensAt = queue.clock.now() + 48 * HOUR;
    await adminCall(queue, 'PUT', 'launch', { admitPerMinute: 0, opensAt });
    const registered = await join(queue, 'launch'); // commits the draw
    const ghost = await queue.signer.signTicket({
      sub: 'never-registered',
      room: 'launch',
      seq: 0,
      pre: true,
    });
    queue.clock.advance(25 * HOUR);
    const answer = await join(queue, 'launch', ghost.token);
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error.code, 'token_expired');
    const real = await join(queue, 'launch', registered.json.ticket);
    assert.equal(real.status, 200, 'while a registered one is honoured');
  });
});
