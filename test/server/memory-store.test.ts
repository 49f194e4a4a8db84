import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { createFilePersistence, SNAPSHOT_FILE } from '../../src/server/store/file-persistence.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import type { StorePersistence, StoreSnapshot } from '../../src/server/store/memory-store.js';

/** An in-memory persistence; with `hold`, writes complete only when the test releases them. */
function fakePersistence(hold = false) {
  const saved: StoreSnapshot[] = [];
  const waiting: Array<() => void> = [];
  const persistence: StorePersistence = {
    load: async () => (saved.length > 0 ? structuredClone(saved.at(-1)!) : null),
    save: (snapshot) =>
      new Promise<void>((done) => {
        const complete = () => {
          saved.push(structuredClone(snapshot));
          done();
        };
        if (hold) waiting.push(complete);
        else setImmediate(complete);
      }),
  };
  const release = () => {
    while (waiting.length > 0) waiting.shift()!();
  };
  return { persistence, saved, waiting, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

const config = mergeRoomConfig(null, { admitPerMinute: 0 });

describe('MemoryStore durability', () => {
  it('reserves seqs in blocks: one write per block of joins', async () => {
    const fake = fakePersistence();
    const store = await MemoryStore.open({ persistence: fake.persistence, seqBlockSize: 4 });
    await store.putRoomConfig('r', config, 0);
    const writesBefore = fake.saved.length;
    const seqs: number[] = [];
    for (let i = 0; i < 10; i += 1) seqs.push((await store.allocateSeq('r', 0))!);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(fake.saved.length - writesBefore, 3, 'reservations at seq 1, 5 and 9');
  });

  it('hands out no seq of a block before the block end is durable', async () => {
    const held = fakePersistence(true);
    const store = await MemoryStore.open({ persistence: held.persistence, seqBlockSize: 4 });
    const room = store.putRoomConfig('r', config, 0);
    await tick();
    held.release();
    await room;
    let handedOut = 0;
    const first = store.allocateSeq('r', 0).then((seq) => ((handedOut += 1), seq));
    const second = store.allocateSeq('r', 0).then((seq) => ((handedOut += 1), seq));
    await tick();
    assert.equal(handedOut, 0, 'both wait for the reservation write');
    held.release();
    assert.deepEqual([await first, await second], [1, 2]);
  });

  it('resumes past the reserved mark after a crash, so no seq repeats', async () => {
    const fake = fakePersistence();
    const store = await MemoryStore.open({ persistence: fake.persistence, seqBlockSize: 50 });
    await store.putRoomConfig('r', config, 0);
    for (let i = 0; i < 3; i += 1) await store.allocateSeq('r', 0);
    // "Crash": reopen from what was written, without a final flush.
    const reopened = await MemoryStore.open({ persistence: fake.persistence, seqBlockSize: 50 });
    assert.equal(await reopened.allocateSeq('r', 0), 51);
  });

  it('keeps serving, claims, booked places, used keys and signing keys in the snapshot', async () => {
    const fake = fakePersistence();
    const store = await MemoryStore.open({ persistence: fake.persistence });
    await store.putRoomConfig('r', config, 0);
    for (let i = 0; i < 7; i += 1) await store.allocateSeq('r', 500);
    await store.advanceServing('r', 7, 1000);
    const claim = {
      seq: 3,
      sub: 's',
      jti: 'j-1',
      admission: 'tok',
      claimedAt: 1000,
      expiresAt: 121_000,
    };
    await store.recordClaim('r', { ...claim, consumed: false }, 1000);
    assert.equal(await store.bookPlace('r', 3, 121_000, 2000), true);
    assert.equal(await store.consumeJti('j-1', 121_000, 2000), true);
    await store.saveSigningKeys([{ kid: 'k1', privateJwk: {}, publicJwk: {}, createdAt: 5 }]);
    // Reopen from what was written, as after a crash.
    const reopened = await MemoryStore.open({ persistence: fake.persistence });
    assert.equal((await reopened.getRoom('r'))!.serving, 7);
    assert.equal((await reopened.getClaim('r', 3, 3000))?.consumed, true);
    assert.equal(await reopened.bookPlace('r', 3, 121_000, 3000), false);
    assert.equal(await reopened.consumeJti('j-1', 121_000, 3000), false);
    assert.deepEqual(
      (await reopened.loadSigningKeys()).map((key) => key.kid),
      ['k1'],
    );
  });
});

describe('createFilePersistence', () => {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('writes the snapshot atomically and leaves no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-gate-store-'));
    dirs.push(dir);
    const persistence = createFilePersistence(join(dir, 'data'));
    assert.equal(await persistence.load(), null);
    const store = await MemoryStore.open({ persistence });
    await Promise.all([store.putRoomConfig('a', config, 0), store.putRoomConfig('b', config, 0)]);
    assert.deepEqual(await readdir(join(dir, 'data')), [SNAPSHOT_FILE]);
    const loaded = await persistence.load();
    assert.deepEqual(
      loaded?.rooms.map((room) => room.record.room),
      ['a', 'b'],
    );
  });

  it('refuses to start from a snapshot that does not parse instead of resetting the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'queue-gate-store-'));
    dirs.push(dir);
    await writeFile(join(dir, SNAPSHOT_FILE), '{"format":1,"rooms":[');
    await assert.rejects(
      MemoryStore.open({ persistence: createFilePersistence(dir) }),
      SyntaxError,
    );
  });
});
