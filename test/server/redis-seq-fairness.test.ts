/**
 * Measures what per-process seq blocks cost in fairness, against a real Redis: two stores (two
 * processes) take joins arriving at seeded random times on a simulated clock, and every pair
 * of visitors placed in the opposite order of their arrival is counted. The figures are printed
 * (they are the ones in docs/scaling.md) and the bound the design promises is asserted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import {
  DEFAULT_SEQ_BLOCK_MAX_AGE_MS as MAX_AGE_MS,
  DEFAULT_SEQ_BLOCK_MAX_SIZE,
} from '../../src/server/store/redis-seq-blocks.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { seededRandom } from '../core/helpers/test-doubles.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const DURATION_MS = 10_000;

/** Poisson arrivals at `perSecond` over the duration, in ms. */
function arrivals(perSecond: number, seed: number): number[] {
  // Seeded, so every run measures the same arrivals.
  const next = seededRandom(seed);
  const times: number[] = [];
  for (let t = 0; ;) {
    t += (-Math.log(1 - next()) / perSecond) * 1000;
    if (t >= DURATION_MS) return times;
    times.push(t);
  }
}

interface Fairness {
  joins: number;
  /** Share of visitors placed ahead of at least one who arrived earlier. */
  overtakingShare: number;
  /** Longest time by which a visitor arrived after someone they were placed ahead of, in ms. */
  maxLagMs: number;
  p99LagMs: number;
  /** Most visitors that one visitor was placed ahead of. */
  maxPlaces: number;
  /** Seqs reserved but never handed out (they count as walked away). */
  unused: number;
  /** Reservations (Redis round trips for seqs) per join. */
  reservationsPerJoin: number;
}

function measure(
  placed: Array<{ at: number; seq: number }>,
): Omit<Fairness, 'unused' | 'reservationsPerJoin'> {
  const byTime = [...placed].sort((x, y) => x.at - y.at);
  const bySeqDesc = [...placed].sort((x, y) => y.seq - x.seq);
  // Earliest arrival among visitors with a higher seq, for each visitor.
  const earliestAbove = new Map<number, number>();
  let earliest = Infinity;
  for (const visitor of bySeqDesc) {
    earliestAbove.set(visitor.seq, earliest);
    earliest = Math.min(earliest, visitor.at);
  }
  const lags = placed.map((visitor) => Math.max(0, visitor.at - earliestAbove.get(visitor.seq)!));
  lags.sort((x, y) => x - y);
  // Visitors arrived earlier with a higher seq, through a Fenwick tree over seqs.
  const maxSeq = Math.max(...placed.map((visitor) => visitor.seq));
  const tree = new Array<number>(maxSeq + 1).fill(0);
  let maxPlaces = 0;
  byTime.forEach((visitor, index) => {
    let atOrBelow = 0;
    for (let i = visitor.seq; i > 0; i -= i & -i) atOrBelow += tree[i]!;
    maxPlaces = Math.max(maxPlaces, index - atOrBelow);
    for (let i = visitor.seq; i <= maxSeq; i += i & -i) tree[i]! += 1;
  });
  return {
    joins: placed.length,
    overtakingShare: lags.filter((lag) => lag > 0).length / lags.length,
    maxLagMs: lags.at(-1)!,
    p99LagMs: lags[Math.floor(lags.length * 0.99)]!,
    maxPlaces,
  };
}

describe('fairness cost of per-process seq blocks (two processes, real Redis)', () => {
  let redis: TestRedis;
  let count = 0;
  before(async () => {
    redis = await startTestRedis();
  });
  after(() => redis.stop());

  const run = async (rateA: number, rateB: number): Promise<Fairness> => {
    count += 1;
    const prefix = `fair${count}:`;
    // Default block tuning: the figures are those of a deployment left as shipped.
    const stores = [
      await RedisStore.open({ url: redis.url, keyPrefix: prefix }),
      await RedisStore.open({ url: redis.url, keyPrefix: prefix }),
    ];
    try {
      await stores[0]!.putRoomConfig('fair', mergeRoomConfig(null, { admitPerMinute: 0 }), 0);
      const events = [
        ...arrivals(rateA, 1000 + count).map((at) => ({ at, process: 0 })),
        ...arrivals(rateB, 2000 + count).map((at) => ({ at, process: 1 })),
      ].sort((x, y) => x.at - y.at);
      const placed: Array<{ at: number; seq: number }> = [];
      for (const event of events) {
        const seq = await stores[event.process]!.allocateSeq('fair', event.at);
        placed.push({ at: event.at, seq: seq! });
      }
      assert.equal(new Set(placed.map((visitor) => visitor.seq)).size, placed.length);
      const room = (await stores[0]!.getRoom('fair'))!;
      return {
        ...measure(placed),
        unused: room.issued - placed.length,
        // Each reservation bumps the room's version once; creating the room set it to 1.
        reservationsPerJoin: (room.version - 1) / placed.length,
      };
    } finally {
      for (const store of stores) await store.close();
    }
  };

  for (const [rateA, rateB] of [
    [5, 5],
    [200, 50],
    [2000, 2000],
    [5000, 100],
  ] as const) {
    it(`places nobody ahead of a visitor who arrived more than ${MAX_AGE_MS} ms earlier (${rateA}/s and ${rateB}/s)`, async (t) => {
      const figures = await run(rateA, rateB);
      t.diagnostic(
        `| ${rateA}/s + ${rateB}/s | ${figures.joins} | ${(figures.overtakingShare * 100).toFixed(1)}% | ${figures.p99LagMs.toFixed(0)} ms | ${figures.maxLagMs.toFixed(0)} ms | ${figures.maxPlaces} | ${figures.unused} | ${figures.reservationsPerJoin.toFixed(3)} |`,
      );
      assert.ok(figures.maxLagMs < MAX_AGE_MS, `largest lag ${figures.maxLagMs} ms`);
      assert.ok(
        figures.unused <= 2 * DEFAULT_SEQ_BLOCK_MAX_SIZE * (DURATION_MS / MAX_AGE_MS),
        `${figures.unused} unused`,
      );
    });
  }
});
