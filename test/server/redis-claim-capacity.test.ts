/**
 * The Redis store counts the slots a claim must leave free under `maxActive` inside Redis
 * (`reservedForClaim`, see `claim-capacity.ts`) instead of copying the room's activity to the
 * server: it must count exactly what `reservedForOthers` counts from that activity, for every
 * seq and time, on a single Redis and on a Cluster, booked and expired claims included.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reservedForOthers } from '../../src/server/admission-control.js';
import { countsReservedClaims } from '../../src/server/store/claim-capacity.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { claimOf, config, T0 } from './store-contract/suite.js';
import { startTestRedisCluster } from './support/redis-cluster.js';
import { startTestRedis } from './support/redis-server.js';

const GRACE_MS = 15_000;

/**
 * A room whose line moved four times, with claims before, within and after the grace, and on
 * the seqs where the line stood a grace ago (the edges of the count).
 */
async function fillRoom(store: RedisStore, room: string): Promise<void> {
  await store.putRoomConfig(room, config({ holdSeconds: 600, maxActive: 10 }), T0);
  for (let i = 0; i < 30; i += 1) await store.allocateSeq(room, T0);
  await store.advanceServing(room, 5, T0 + 1_000);
  await store.advanceServing(room, 12, T0 + 20_000);
  await store.advanceServing(room, 15, T0 + 30_000);
  await store.advanceServing(room, 22, T0 + 38_000);
  const claims: Array<[seq: number, at: number]> = [
    [2, T0 + 2_000],
    [6, T0 + 21_000],
    [12, T0 + 25_500],
    [13, T0 + 31_000],
    [15, T0 + 31_500],
    [14, T0 + 32_000],
    [16, T0 + 38_500],
    [21, T0 + 39_000],
  ];
  for (const [seq, at] of claims) {
    const claim = claimOf(seq, { claimedAt: at, expiresAt: at + 5_000 });
    assert.notEqual(await store.recordClaim(room, claim, at), 'full');
  }
  // A booked claim is consumed, and still a claim.
  assert.equal(await store.bookPlace(room, 14, T0 + 900_000, T0 + 33_000), true);
}

/** Checks every seq of the room at several times against the count from the activity. */
async function assertSameCounts(store: RedisStore, room: string): Promise<void> {
  const record = (await store.getRoom(room))!;
  let pendingSeen = 0;
  for (const at of [T0 + 25_000, T0 + 36_000, T0 + 40_000, T0 + 50_000, T0 + 90_000]) {
    const { claims, advances } = await store.getActivity(room, at);
    for (let seq = 1; seq <= 25; seq += 1) {
      const expected = reservedForOthers(
        {
          now: at,
          serving: record.serving,
          issued: record.issued,
          claims,
          advances,
          claimGraceMs: GRACE_MS,
        },
        seq,
      );
      pendingSeen += expected;
      const counted = await store.reservedForClaim(room, seq, at, GRACE_MS);
      assert.equal(counted, expected, `seq ${seq} at T0 + ${at - T0} ms`);
    }
  }
  // The scenario must exercise the count, not compare zeros.
  assert.ok(pendingSeen > 20, `${pendingSeen} pending slots seen in all`);
}

for (const kind of ['a single Redis', 'a Redis Cluster'] as const) {
  describe(`reservedForClaim on ${kind}`, () => {
    let server: { url: string; stop: () => Promise<void> };
    let store: RedisStore;
    before(async () => {
      server = kind === 'a single Redis' ? await startTestRedis() : await startTestRedisCluster();
      store = await RedisStore.open({
        url: server.url,
        cluster: kind === 'a Redis Cluster',
        keyPrefix: 'capacity:',
      });
    });
    after(async () => {
      await store?.close();
      await server?.stop();
    });

    it('counts what reservedForOthers counts from the whole activity', async () => {
      await fillRoom(store, 'counted');
      await assertSameCounts(store, 'counted');
    });

    it('counts nothing for a room that does not exist', async () => {
      assert.equal(await store.reservedForClaim('nowhere', 3, T0, GRACE_MS), 0);
    });
  });
}

describe('which stores count reserved slots themselves', () => {
  it('the Redis store does; the embedded store reads its activity instead', async () => {
    const memory = await MemoryStore.open();
    try {
      assert.equal(countsReservedClaims(memory), false);
      assert.equal(typeof RedisStore.prototype.reservedForClaim, 'function');
    } finally {
      await memory.close();
    }
  });
});
