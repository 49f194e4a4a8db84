import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import {
  JOURNAL_FILE,
  SNAPSHOT_FILE,
  createFilePersistence,
} from '../../src/server/store/file-persistence.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { StorePersistence, StoreSnapshot } from '../../src/server/store/memory-store.js';
import type { JournalEntry } from '../../src/server/store/store-journal.js';
import type { ClaimRecord } from '../../src/server/store/queue-store.js';

const config = mergeRoomConfig(null, { admitPerMinute: 0 });
const T0 = Date.UTC(2026, 0, 1, 9);
const claimFor = (seq: number, jti = `jti-${seq}`): ClaimRecord => ({
  seq,
  sub: `sub-${seq}`,
  jti,
  admission: `admission-${seq}`,
  claimedAt: T0,
  expiresAt: T0 + 120_000,
  consumed: false,
});

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'queue-gate-journal-'));
  dirs.push(dir);
  return dir;
};
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A persistence whose journal writes wait until the test lets them through. */
function heldJournal() {
  const entries: JournalEntry[] = [];
  const waiting: Array<() => void> = [];
  let snapshot: StoreSnapshot | null = null;
  const persistence: StorePersistence = {
    load: async () => snapshot,
    save: async (next) => {
      snapshot = structuredClone(next);
    },
    append: (batch) =>
      new Promise<void>((done) => {
        waiting.push(() => {
          entries.push(...batch);
          done();
        });
      }),
  };
  const release = () => {
    while (waiting.length > 0) waiting.shift()!();
  };
  return { persistence, entries, waiting, release };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('MemoryStore journal on disk', () => {
  it('brings back claims, booked places, used keys, moves and reserved seqs after a crash, from the journal alone', async () => {
    const dir = await tempDir();
    const store = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    await store.putRoomConfig('demo', config, T0);
    const snapshotBefore = await readFile(join(dir, SNAPSHOT_FILE), 'utf8');
    for (let i = 0; i < 5; i++) await store.allocateSeq('demo', T0);
    await store.advanceServing('demo', 3, T0 + 1000);
    await Promise.all([1, 2, 3].map((seq) => store.recordClaim('demo', claimFor(seq), T0 + 2000)));
    assert.equal(await store.bookPlace('demo', 2, T0 + 600_000, T0 + 3000), true);
    assert.equal(await store.consumeJti('proof-1', T0 + 120_000, T0 + 3000), true);
    // None of this rewrote the snapshot: it went to the journal.
    assert.equal(await readFile(join(dir, SNAPSHOT_FILE), 'utf8'), snapshotBefore);
    assert.ok((await stat(join(dir, JOURNAL_FILE))).size > 0);

    // No close(): as after kill -9.
    const reopened = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    const room = await reopened.getRoom('demo');
    assert.equal(room?.serving, 3);
    assert.ok((room?.issued ?? 0) >= 5, 'numbering resumes past every seq handed out');
    assert.equal((await reopened.getClaim('demo', 1, T0 + 4000))?.jti, 'jti-1');
    assert.equal((await reopened.getClaim('demo', 2, T0 + 4000))?.consumed, true);
    assert.equal(await reopened.bookPlace('demo', 2, T0 + 600_000, T0 + 4000), false);
    assert.equal(await reopened.consumeJti('proof-1', T0 + 120_000, T0 + 4000), false);
    assert.equal(await reopened.consumeJti('proof-2', T0 + 120_000, T0 + 4000), true);
    await store.close();
    await reopened.close();
  });

  it('journals counters on flush, empties the journal into the snapshot on close, and reads back the same', async () => {
    const dir = await tempDir();
    const store = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    await store.putRoomConfig('demo', config, T0);
    await store.allocateSeq('demo', T0);
    await store.advanceServing('demo', 1, T0);
    await store.recordClaim('demo', claimFor(1), T0);
    await store.incrementCounter({ name: 'joins', room: 'demo' }, 3);
    await store.flush();
    const counted = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.deepEqual(await counted.readCounters(), [{ name: 'joins', room: 'demo', value: 3 }]);
    await store.close();
    assert.equal((await stat(join(dir, JOURNAL_FILE))).size, 0);
    const reopened = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.deepEqual(await reopened.readCounters(), [{ name: 'joins', room: 'demo', value: 3 }]);
    assert.equal((await reopened.getClaim('demo', 1, T0))?.admission, 'admission-1');
    assert.equal((await reopened.getRoom('demo'))?.serving, 1);
    await reopened.close();
  });

  it('empties a journal left by a crashed run into a snapshot when it starts again', async () => {
    const dir = await tempDir();
    const crashed = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    await crashed.putRoomConfig('demo', config, T0);
    await crashed.recordClaim('demo', claimFor(1), T0);
    assert.ok((await stat(join(dir, JOURNAL_FILE))).size > 0);
    const restarted = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.equal((await stat(join(dir, JOURNAL_FILE))).size, 0);
    await restarted.close();
    const again = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.equal((await again.getClaim('demo', 1, T0))?.jti, 'jti-1');
  });

  it('writes a snapshot once the journal is long, so replay after a crash stays short', async () => {
    const dir = await tempDir();
    const store = await MemoryStore.open({
      persistence: createFilePersistence(dir),
      compactAfter: 10,
    });
    await store.putRoomConfig('demo', config, T0);
    for (let seq = 1; seq <= 25; seq++) {
      await store.recordClaim('demo', claimFor(seq), T0);
    }
    const snapshot = JSON.parse(await readFile(join(dir, SNAPSHOT_FILE), 'utf8')) as StoreSnapshot;
    assert.ok(snapshot.rooms[0]!.claims.length >= 10, 'claims were moved into the snapshot');
    const journalLines = (await readFile(join(dir, JOURNAL_FILE), 'utf8')).split('\n');
    assert.ok(journalLines.length <= 16, `journal kept short (${journalLines.length} lines)`);
    const reopened = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    for (const seq of [1, 10, 25]) {
      assert.equal((await reopened.getClaim('demo', seq, T0))?.jti, `jti-${seq}`);
    }
    await store.close();
    await reopened.close();
  });

  it('drops a torn last line (never acknowledged) and refuses a damaged line before good ones', async () => {
    const dir = await tempDir();
    const store = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    await store.putRoomConfig('demo', config, T0);
    await store.recordClaim('demo', claimFor(1), T0);
    await appendFile(join(dir, JOURNAL_FILE), '{"type":"claim","room":"de');
    const reopened = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.equal((await reopened.getClaim('demo', 1, T0))?.jti, 'jti-1');

    await appendFile(
      join(dir, JOURNAL_FILE),
      `{"type":"claim","room":"de\n${JSON.stringify({ type: 'consume', jti: 'x', expiresAt: T0 })}\n`,
    );
    await assert.rejects(MemoryStore.open({ persistence: createFilePersistence(dir) }));
    await store.close();
    await reopened.close();
  });

  it('keeps every one of many claims written at once, sharing disk flushes', async () => {
    const dir = await tempDir();
    const persistence = createFilePersistence(dir);
    let appends = 0;
    const counted: StorePersistence = {
      ...persistence,
      load: () => persistence.load(),
      save: (snapshot) => persistence.save(snapshot),
      append: (entries) => {
        appends += 1;
        return persistence.append!(entries);
      },
    };
    const store = await MemoryStore.open({ persistence: counted });
    await store.putRoomConfig('demo', config, T0);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.recordClaim('demo', claimFor(i + 1), T0)),
    );
    assert.equal(appends, 200);
    const lines = (await readFile(join(dir, JOURNAL_FILE), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 200);
    const reopened = await MemoryStore.open({ persistence: createFilePersistence(dir) });
    assert.equal((await reopened.getClaim('demo', 200, T0))?.jti, 'jti-200');
    await store.close();
    await reopened.close();
  });
});

describe('MemoryStore reads while writes are on their way', () => {
  it('answers room reads at once while a claim is being written, and shows the claim only once durable', async () => {
    const held = heldJournal();
    const store = await MemoryStore.open({ persistence: held.persistence });
    await store.putRoomConfig('demo', config, T0);
    const allocating = store.allocateSeq('demo', T0);
    await settle();
    held.release();
    await allocating;
    const claimed = store.recordClaim('demo', claimFor(1), T0);
    await settle();
    assert.ok(held.waiting.length > 0, 'the claim is waiting for its write');
    assert.equal((await store.getRoom('demo'))?.room, 'demo');
    const seen: { claim?: ClaimRecord | null } = {};
    void store.getClaim('demo', 1, T0).then((claim) => (seen.claim = claim));
    await settle();
    assert.ok(!('claim' in seen), 'a claim not yet durable is not shown');
    held.release();
    await claimed;
    await settle();
    assert.equal(seen.claim?.jti, 'jti-1');
  });

  it('shows a move of serving only once it is durable, without making reads wait', async () => {
    const held = heldJournal();
    const store = await MemoryStore.open({ persistence: held.persistence });
    await store.putRoomConfig('demo', config, T0);
    const allocating = store.allocateSeq('demo', T0);
    await settle();
    held.release();
    await allocating;
    const moving = store.advanceServing('demo', 1, T0);
    await settle();
    assert.equal((await store.getRoom('demo'))?.serving, 0);
    held.release();
    assert.equal((await moving)?.serving, 1);
    assert.equal((await store.getRoom('demo'))?.serving, 1);
    assert.deepEqual(
      held.entries.map((entry) => entry.type),
      ['reserve', 'advance'],
    );
  });
});
