/**
 * The store contract of the shared records (`shared-records.ts`): the join count per client
 * and the fairness series, registered inside `describeStoreContract` so all four stores run it.
 * With a second process (Redis), the two share one count and one series.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FairnessEntry, QueueStore } from '../../../src/server/store/queue-store.js';
import type { StoreHandle } from './suite.js';

const MINUTE = 60_000;
/** 09:00:30 UTC: half a minute into a window. */
const AT = Date.UTC(2026, 0, 1, 9, 0, 30);
const BOUNDS = { minGapMs: 15_000, maxSamples: 3, maxSnapshots: 2 };

const entry = (at: number, serving: number, patch: Partial<FairnessEntry> = {}): FairnessEntry => ({
  sample: { at, serving, issued: serving + 10, snapshot: `snapshot-${at}` },
  minutes: [],
  oldestMinute: 0,
  ...patch,
});

/** Registers the shared-record tests; `open` gives a fresh store per test. */
export function describeSharedRecords(open: () => Promise<StoreHandle>): void {
  const both = async (): Promise<[QueueStore, QueueStore]> => {
    const handle = await open();
    return [handle.store, handle.second ? await handle.second() : handle.store];
  };

  it('counts new places per client in one-minute windows, shared by every process', async () => {
    const [store, other] = await both();
    const count = (on: QueueStore, key: string, at: number) => on.countNewPlace(key, MINUTE, 3, at);
    assert.deepEqual(await count(store, '203.0.113.7', AT), { allowed: true, retryAfterMs: 0 });
    assert.equal((await count(other, '203.0.113.7', AT + 1000)).allowed, true);
    assert.equal((await count(store, '203.0.113.7', AT + 2000)).allowed, true);
    assert.deepEqual(
      await count(other, '203.0.113.7', AT + 10_000),
      { allowed: false, retryAfterMs: 20_000 },
      'the 4th in the window is refused until the window ends, at the other process too',
    );
    assert.equal((await count(store, '203.0.113.7', AT + 10_000)).allowed, false);
    // Addresses hold colons, and a key with braces must stay its own key (one Cluster slot).
    assert.equal((await count(store, '2001:db8::1', AT)).allowed, true);
    assert.equal((await count(other, '{203.0.113.7}', AT)).allowed, true);
    assert.equal(
      (await count(other, '203.0.113.7', AT + 30_000)).allowed,
      true,
      'the next window allows new places again',
    );
  });

  it('lets exactly the limit of many concurrent new places through across processes', async () => {
    const [store, other] = await both();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? other : store).countNewPlace('crowd', MINUTE, 7, AT),
      ),
    );
    assert.equal(results.filter((result) => result.allowed).length, 7);
    for (const refused of results.filter((result) => !result.allowed)) {
      assert.equal(refused.retryAfterMs, 30_000);
    }
  });

  it('appends a fairness sample at most once per gap, bounded, and reads the same at every process', async () => {
    const [store, other] = await both();
    assert.deepEqual(await store.readFairness('fair'), { points: [], snapshots: [], minutes: [] });
    assert.deepEqual(await store.recordFairness('fair', entry(AT, 1), BOUNDS), {
      appended: true,
      lastAt: AT,
    });
    assert.deepEqual(
      await other.recordFairness('fair', entry(AT + 5000, 2), BOUNDS),
      { appended: false, lastAt: AT },
      'a sample within the gap of the last one is not appended, whoever took the last',
    );
    for (let i = 1; i <= 4; i += 1) {
      const on = i % 2 ? other : store;
      assert.equal(
        (await on.recordFairness('fair', entry(AT + i * 15_000, i + 1), BOUNDS)).appended,
        true,
      );
    }
    assert.equal(
      (await store.recordFairness('fair', entry(AT + 60_001, 9), { ...BOUNDS, minGapMs: 0 }))
        .appended,
      true,
      'a gap of 0 always appends',
    );
    const series = await other.readFairness('fair');
    assert.deepEqual(series.points, [
      { at: AT + 45_000, serving: 4, issued: 14 },
      { at: AT + 60_000, serving: 5, issued: 15 },
      { at: AT + 60_001, serving: 9, issued: 19 },
    ]);
    assert.deepEqual(series.snapshots, [`snapshot-${AT + 60_000}`, `snapshot-${AT + 60_001}`]);
    assert.deepEqual(await store.readFairness('fair'), series);
    assert.deepEqual(await store.readFairness('elsewhere'), {
      points: [],
      snapshots: [],
      minutes: [],
    });
  });

  it('takes one of many concurrent samples from both processes', async () => {
    const [store, other] = await both();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : store).recordFairness('race', entry(AT + i, i), BOUNDS),
      ),
    );
    assert.equal(results.filter((result) => result.appended).length, 1);
    assert.equal((await other.readFairness('race')).points.length, 1);
  });

  it('keeps the highest count of each admission minute and drops minutes before the oldest', async () => {
    const [store, other] = await both();
    const m = (i: number) => AT - 30_000 + i * MINUTE;
    await store.recordFairness(
      'minutes',
      entry(AT, 1, {
        minutes: [
          { minute: m(0), count: 4 },
          { minute: m(1), count: 2 },
        ],
      }),
      BOUNDS,
    );
    assert.deepEqual(
      await other.recordFairness(
        'minutes',
        {
          sample: null,
          minutes: [
            { minute: m(1), count: 1 },
            { minute: m(2), count: 6 },
          ],
          oldestMinute: 0,
        },
        BOUNDS,
      ),
      { appended: false, lastAt: AT },
      'counts alone append no sample',
    );
    assert.deepEqual((await store.readFairness('minutes')).minutes, [
      { minute: m(0), count: 4 },
      { minute: m(1), count: 2 },
      { minute: m(2), count: 6 },
    ]);
    await store.recordFairness(
      'minutes',
      { sample: null, minutes: [{ minute: m(2), count: 7 }], oldestMinute: m(1) },
      BOUNDS,
    );
    assert.deepEqual((await other.readFairness('minutes')).minutes, [
      { minute: m(1), count: 2 },
      { minute: m(2), count: 7 },
    ]);
    assert.equal((await other.readFairness('minutes')).points.length, 1);
  });
}
