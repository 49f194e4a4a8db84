import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeqBlocks } from '../../src/server/store/redis-seq-blocks.js';

/** A fake of the Redis counter: records every reservation, answers in a later microtask. */
function fakeCounter(rooms: string[] = ['r']) {
  const issued = new Map(rooms.map((room) => [room, 0]));
  const reservations: number[] = [];
  return {
    reservations,
    issued,
    reserve: async (room: string, count: number) => {
      await Promise.resolve();
      const current = issued.get(room);
      if (current === undefined) return null;
      reservations.push(count);
      issued.set(room, current + count);
      return current + count;
    },
  };
}

describe('createSeqBlocks', () => {
  it('reserves one seq at a time while joins are rare', async () => {
    const counter = fakeCounter();
    const blocks = createSeqBlocks({ reserve: counter.reserve });
    const seqs = [];
    for (let i = 0; i < 5; i += 1) seqs.push(await blocks.next('r', i * 10_000));
    assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
    assert.deepEqual(counter.reservations, [1, 1, 1, 1, 1]);
  });

  it('grows blocks with the join rate so one lasts about the target time, up to the maximum', async () => {
    const counter = fakeCounter();
    const blocks = createSeqBlocks({ reserve: counter.reserve, targetMs: 200, maxAgeMs: 500 });
    // 100 joins a second (one every 10 ms): a 200 ms block holds about 20.
    for (let t = 0; t < 2000; t += 10) await blocks.next('r', t);
    const settled = counter.reservations.slice(-3);
    for (const size of settled) assert.ok(size >= 15 && size <= 25, `block of ${size}`);
    // 10,000 joins a second: capped at 64.
    for (let i = 0; i < 1000; i += 1) await blocks.next('r', 2000 + i / 10);
    assert.equal(counter.reservations.at(-1), 64);
  });

  it('shrinks back to single seqs when joins stop', async () => {
    const counter = fakeCounter();
    const blocks = createSeqBlocks({ reserve: counter.reserve });
    for (let i = 0; i < 500; i += 1) await blocks.next('r', i);
    await blocks.next('r', 60_000);
    await blocks.next('r', 120_000);
    assert.equal(counter.reservations.at(-1), 1);
  });

  it('abandons a block once it is older than maxAgeMs, never handing out its stale seqs', async () => {
    const counter = fakeCounter();
    const blocks = createSeqBlocks({ reserve: counter.reserve, maxAgeMs: 500 });
    for (let i = 0; i < 200; i += 1) await blocks.next('r', i); // a block of many seqs
    const issuedBefore = counter.issued.get('r')!;
    const late = await blocks.next('r', 800);
    assert.equal(late, issuedBefore + 1, 'the late join gets a fresh seq past every reserved one');
  });

  it('makes one reservation for a burst of concurrent joins, sized for those waiting', async () => {
    const counter = fakeCounter();
    const blocks = createSeqBlocks({ reserve: counter.reserve, maxSize: 64 });
    const seqs = await Promise.all(Array.from({ length: 40 }, () => blocks.next('r', 0)));
    assert.deepEqual(
      [...seqs].sort((x, y) => x! - y!),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.ok(counter.reservations.length <= 3, `${counter.reservations.length} reservations`);
  });

  it('answers null for a room that does not exist, and passes failures on', async () => {
    const counter = fakeCounter();
    const blocks = createSeqBlocks({ reserve: counter.reserve });
    assert.equal(await blocks.next('missing', 0), null);
    const failing = createSeqBlocks({
      reserve: () => Promise.reject(new Error('redis down')),
    });
    await assert.rejects(failing.next('r', 0), /redis down/);
  });
});
