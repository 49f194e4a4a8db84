import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDrawSeed } from '../../src/server/opening-draw.js';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { createFilePersistence } from '../../src/server/store/file-persistence.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { QueueStore } from '../../src/server/store/queue-store.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const T0 = Date.UTC(2026, 0, 1, 19, 0, 0);
const OPENS = T0 + 60 * 60_000;
const config = mergeRoomConfig(null, { admitPerMinute: 0, opensAt: OPENS });
const seed = await createDrawSeed(() => new Uint8Array(32).fill(7));

/** What every store must do, checked against two handles on the same data (two processes). */
async function drawContract(a: QueueStore, b: QueueStore): Promise<void> {
  await a.putRoomConfig('launch', config, T0);
  assert.equal(await a.registerPreOpen('launch', 'early', T0), false, 'no draw committed yet');
  const committed = await a.commitDraw('launch', { ...seed, committedAt: T0, opensAt: OPENS });
  assert.equal(committed.commitment, seed.commitment);
  const again = await b.commitDraw('launch', {
    ...(await createDrawSeed(() => new Uint8Array(32).fill(9))),
    committedAt: T0 + 1,
    opensAt: OPENS,
  });
  assert.equal(again.seed, seed.seed, 'a published commitment never changes');

  for (const sub of ['v1', 'v2', 'v3'])
    assert.equal(await a.registerPreOpen('launch', sub, T0), true);
  assert.equal(await b.registerPreOpen('launch', 'v4', T0), true);
  assert.equal((await b.getDraw('launch'))!.drawnAt, null);

  // Both "processes" reach the opening at once: exactly one draw happens.
  const [first, second] = await Promise.all([
    a.runDraw('launch', OPENS),
    b.runDraw('launch', OPENS + 5),
  ]);
  assert.equal(first!.drawnAt, second!.drawnAt);
  assert.equal(first!.base, 0);
  assert.deepEqual([...first!.entrants].sort(), ['v1', 'v2', 'v3', 'v4']);
  assert.equal((await a.getRoom('launch'))!.issued, 4, 'issued moved past the whole draw once');

  assert.equal(await b.registerPreOpen('launch', 'too-late', OPENS + 10), false);
  assert.deepEqual([...(await a.getDraw('launch'))!.entrants].sort(), ['v1', 'v2', 'v3', 'v4']);
  const next = await b.allocateSeq('launch', OPENS + 20);
  assert.ok(next! > 4, `the first seq after the draw (${next}) is behind it`);
}

describe('the opening draw in the MemoryStore', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('registers, draws once, and refuses registrations after the draw', async () => {
    const store = await MemoryStore.open();
    await drawContract(store, store);
  });

  it('journals each registration instead of rewriting every entrant, and keeps them through a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-gate-draw-journal-'));
    dirs.push(dir);
    const files = createFilePersistence(dir);
    let snapshots = 0;
    const counted = {
      ...files,
      save: (snapshot: Parameters<typeof files.save>[0]) => (
        (snapshots += 1),
        files.save(snapshot)
      ),
    };
    const first = await MemoryStore.open({ persistence: counted });
    await first.putRoomConfig('launch', config, T0);
    await first.commitDraw('launch', { ...seed, committedAt: T0, opensAt: OPENS });
    const before = snapshots;
    const subs = Array.from({ length: 300 }, (_, i) => `v${String(i).padStart(3, '0')}`);
    for (const sub of subs) assert.equal(await first.registerPreOpen('launch', sub, T0), true);
    assert.ok(snapshots - before <= 1, `${snapshots - before} snapshots for 300 registrations`);

    // A crash: reopened from what was written, with no flush and no close.
    const second = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.deepEqual((await second.getDraw('launch'))!.entrants, subs);
    assert.equal(await second.registerPreOpen('launch', 'v999', T0), true);
    const drawn = await second.runDraw('launch', OPENS);
    assert.equal(drawn!.entrants.length, 301);
    assert.equal(await second.registerPreOpen('launch', 'late', OPENS + 1), false);

    // Another crash after the draw: the journal replayed on its snapshot adds nobody.
    const third = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    const kept = await third.getDraw('launch');
    assert.deepEqual(kept!.entrants, [...subs, 'v999']);
    assert.equal(kept!.drawnAt, drawn!.drawnAt);
    await third.close();
  });

  it('keeps the commitment, the registrations and the finished draw across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-gate-draw-'));
    dirs.push(dir);
    const first = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    await first.putRoomConfig('launch', config, T0);
    await first.commitDraw('launch', { ...seed, committedAt: T0, opensAt: OPENS });
    await first.registerPreOpen('launch', 'v1', T0);
    await first.registerPreOpen('launch', 'v2', T0);
    await first.close();

    const second = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    const kept = await second.getDraw('launch');
    assert.equal(kept!.seed, seed.seed);
    assert.deepEqual(kept!.entrants, ['v1', 'v2']);
    const drawn = await second.runDraw('launch', OPENS);
    await second.close();

    // A crash after the draw: it is not run again and numbering resumes behind it.
    const third = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    const after = await third.runDraw('launch', OPENS + 60_000);
    assert.equal(after!.drawnAt, drawn!.drawnAt);
    assert.equal(after!.base, drawn!.base);
    assert.ok((await third.allocateSeq('launch', OPENS + 60_000))! > drawn!.base + 2);
    await third.close();
  });
});

describe('the opening draw in the RedisStore (two processes)', () => {
  let redis: TestRedis;
  const stores: RedisStore[] = [];
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const store of stores) await store.close().catch(() => {});
    await redis.stop();
  });

  it('registers, draws exactly once across processes, and refuses registrations after it', async () => {
    const open = async () => {
      const store = await RedisStore.open({ url: redis.url, keyPrefix: 'draw:' });
      stores.push(store);
      return store;
    };
    await drawContract(await open(), await open());
  });
});
