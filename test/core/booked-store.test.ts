import { expect } from '@open-wc/testing';
import { bookedStorageKey, createBookedStore } from '../../src/core/booked-store.js';
import type { BookedRecord } from '../../src/core/booked-store.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { blockedStorage, fullStorage, memoryStorage } from './helpers/test-doubles.js';

const endpoint = 'https://queue.test';
const room = 'concert';

describe('booked-store', () => {
  const clock = createManualClock();
  const record = (): BookedRecord => ({
    seq: 42,
    outcome: 'booked',
    at: clock.now(),
    until: clock.now() + 60_000,
  });

  it('keeps the marker under its own versioned key, with no token in it', () => {
    const storage = memoryStorage();
    createBookedStore({ endpoint, room, storage, clock }).save(record());
    const key = bookedStorageKey(endpoint, room);
    expect(key).to.equal('queue-gate:v1:booked:https://queue.test:concert');
    expect(JSON.parse(storage.data.get(key)!)).to.deep.equal({
      v: 1,
      room,
      endpoint,
      ...record(),
    });
    expect(createBookedStore({ endpoint, room, storage, clock }).load()).to.deep.equal(record());
  });

  it('forgets a lapsed, malformed or foreign marker, and removes it', async () => {
    const storage = memoryStorage();
    const key = bookedStorageKey(endpoint, room);
    const store = createBookedStore({ endpoint, room, storage, clock });
    for (const raw of [
      '{',
      'null',
      JSON.stringify({ v: 1, room, endpoint, seq: 1, outcome: 'maybe', at: 0, until: 9e15 }),
      JSON.stringify({
        v: 1,
        room: 'other',
        endpoint,
        seq: 1,
        outcome: 'booked',
        at: 0,
        until: 9e15,
      }),
      JSON.stringify({ v: 2, room, endpoint, seq: 1, outcome: 'booked', at: 0, until: 9e15 }),
    ]) {
      storage.setItem(key, raw);
      expect(store.load(), raw).to.equal(null);
      expect(storage.data.has(key), raw).to.equal(false);
    }
    store.save(record());
    await clock.advance(60_000);
    expect(store.load()).to.equal(null);
    expect(storage.data.has(key)).to.equal(false);
  });

  it('holds the marker in memory where storage is blocked or full', () => {
    for (const storage of [blockedStorage(), fullStorage()]) {
      const store = createBookedStore({ endpoint, room, storage, clock });
      store.save(record());
      expect(store.load()?.seq).to.equal(42);
      store.clear();
      expect(store.load()).to.equal(null);
    }
  });
});
