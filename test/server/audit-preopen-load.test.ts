/**
 * Outside audit: before an opening, one pre-open ticket replayed in a loop at `admit` (or, past
 * half its life, at `join`) made the server read the whole draw, every entrant sorted, for each
 * request. With 200,000 pre-open visitors that was about 125 ms of one core per request: twenty
 * such requests from one client held every other visitor's answer for over two seconds. The
 * draw is now read once per process before the opening, and a registration is checked against
 * the entrants this process already read.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adminCall, admit, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const HOUR = 3600_000;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** Counts the store's draw reads (each one copies and sorts every entrant). */
function countDrawReads(server: TestServer): () => number {
  const store = server.store;
  const read = store.getDraw.bind(store);
  let reads = 0;
  store.getDraw = (room: string) => {
    reads += 1;
    return read(room);
  };
  return () => reads;
}

describe('audit: pre-open tickets replayed in a loop', () => {
  it('claims and stale rejoins with one pre-open ticket do not read the whole draw each time', async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    const opensAt = queue.clock.now() + 30 * HOUR;
    await adminCall(queue, 'PUT', 'launch', { admitPerMinute: 0, holdSeconds: 300, opensAt });
    const visitor = await join(queue, 'launch');
    assert.equal(visitor.json.pre, true);
    const others = await Promise.all(Array.from({ length: 20 }, () => join(queue, 'launch')));
    // Past half its life: every rejoin presenting this very ticket is due a refreshed one.
    queue.clock.advance(20 * HOUR);
    const reads = countDrawReads(queue);
    for (let i = 0; i < 40; i += 1) {
      const claim = await admit(queue, visitor.json.ticket, 'launch');
      assert.equal(claim.status, 409);
      assert.equal(claim.json.error.code, 'not_your_turn');
      const back = await join(queue, 'launch', visitor.json.ticket);
      assert.equal(back.status, 200);
      assert.equal(back.json.pre, true);
      assert.notEqual(back.json.ticket, visitor.json.ticket, 'a refreshed pre-open ticket');
    }
    assert.ok(reads() <= 2, `80 requests read the draw ${reads()} times`);

    // The places are all still there at the opening.
    queue.clock.advance(10 * HOUR + 1000);
    const drawn = await Promise.all(
      [visitor, ...others].map((place) => join(queue, 'launch', place.json.ticket)),
    );
    const seqs = drawn.map((answer) => answer.json.seq as number).sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
  });

  it('a pre-open ticket the draw does not know is still refused once expired', async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    const opensAt = queue.clock.now() + 48 * HOUR;
    await adminCall(queue, 'PUT', 'launch', { admitPerMinute: 0, holdSeconds: 300, opensAt });
    await join(queue, 'launch');
    // A pre-open ticket signed for a sub never registered (as after a store lost it).
    const { token } = await queue.signer.signTicket({
      sub: globalThis.crypto.randomUUID(),
      room: 'launch',
      seq: 0,
      pre: true,
    });
    queue.clock.advance(25 * HOUR);
    const back = await join(queue, 'launch', token);
    assert.equal(back.status, 401);
    assert.equal(back.json.error.code, 'token_expired');
  });
});
