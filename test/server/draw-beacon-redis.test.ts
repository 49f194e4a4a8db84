/**
 * A draw bound to a beacon round across two `queue-gate serve` processes sharing one real
 * redis-server: the value given at one process orders the draw at both, the same way; the other
 * process refuses a different value; both publish the same beacon in the fairness record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { drawnSeqs } from '../../src/server/opening-draw.js';
import { waitUntil } from '../e2e/helpers/wait-until.js';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import type { LooseJson } from './helpers/test-server.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'beacon-pair-admin-token-0123';
const BEACON = { id: 'local-test', round: 31337 };
const VALUE = 'c0ffee00'.repeat(8);

describe('a beacon draw on two processes sharing one redis-server', () => {
  let redis: TestRedis;
  let pair: ServerPair;
  let a: ChildServer;
  let b: ChildServer;

  before(async () => {
    redis = await startTestRedis();
    pair = await startServerPair(ADMIN_TOKEN, { QUEUE_GATE_REDIS_URL: redis.url });
    ({ a, b } = pair);
  });
  after(async () => {
    await pair?.stop();
    await redis?.stop();
  });

  const { admin, join } = pairRequests(ADMIN_TOKEN);
  const supply = (server: ChildServer, value: string) =>
    admin(server, 'POST', 'launch/beacon', { round: BEACON.round, value });
  const seqsAt = async (server: ChildServer, tickets: readonly string[]) => {
    const seqs = new Map<string, number>();
    for (const ticket of tickets)
      seqs.set(decodeJwt(ticket).sub!, (await join(server, 'launch', ticket)).seq);
    return seqs;
  };

  it('orders the draw the same at both processes once one of them took the value', async () => {
    const opensAt = Date.now() + 3000;
    const put = await admin(a, 'PUT', 'launch', { admitPerMinute: 0, opensAt, beacon: BEACON });
    assert.equal(put.status, 201);
    const tickets: string[] = [];
    for (let i = 0; i < 10; i += 1) tickets.push((await join(i % 2 ? a : b, 'launch')).ticket);
    await waitUntil(() => (Date.now() > opensAt + 100 ? true : undefined), {
      what: 'the opening',
    });
    const newcomer = await join(b, 'launch');
    assert.equal(newcomer.seq, 11, 'the draw froze its 10 entrants at the opening');
    assert.equal((await join(a, 'launch', tickets[0])).seq, 0, 'still pre-open before the value');
    const early = (await supply(a, 'ab')).status;
    assert.equal(early, 400, 'a malformed value is refused');

    assert.equal((await supply(a, VALUE)).status, 200);
    const conflict = await supply(b, 'dd'.repeat(32));
    assert.equal(conflict.status, 409);
    assert.equal(((await conflict.json()) as LooseJson).error.code, 'beacon_conflict');
    assert.equal((await supply(b, VALUE)).status, 200, 'the same value again is fine');

    const atA = await seqsAt(a, tickets);
    // The other process looks again within a second.
    const atB = await waitUntil(
      async () => {
        const seqs = await seqsAt(b, tickets);
        return [...seqs.values()].every((seq) => seq > 0) ? seqs : undefined;
      },
      { what: 'the order at the other process' },
    );
    assert.deepEqual(atB, atA, 'both processes give every entrant the same seq');
    const drawn = await waitUntil(
      async () => {
        const now = (await (await fetch(`${b.url}/rooms/launch/fairness`)).json()) as LooseJson;
        return now.draw.beacon.value === VALUE ? now : undefined;
      },
      { what: 'the value in the fairness record', timeoutMs: 10_000 },
    );
    assert.deepEqual(atA, await drawnSeqs(drawn.draw.seed, drawn.draw.entrants, 0, VALUE));
  });
});
