import { expect } from '@open-wc/testing';
import { createManualClock } from '../../src/core/manual-clock.js';
import {
  loadProgressStart,
  progressStartKey,
  removeProgressStart,
  saveProgressStart,
} from '../../src/core/progress-start.js';
import { EXPIRY_GRACE_MS, createTicketStore } from '../../src/core/ticket-store.js';
import { blockedStorage, memoryStorage } from './helpers/test-doubles.js';

const endpoint = 'https://queue.test';
const room = 'concert';
const record = { seq: 42, start: 1000, fromDraw: true };

describe('progress-start', () => {
  it('is kept beside the ticket, under a versioned key of its endpoint and room', () => {
    const storage = memoryStorage();
    saveProgressStart(storage, endpoint, room, record);
    expect(progressStartKey(endpoint, room)).to.equal(
      'queue-gate:v1:progress:https://queue.test:concert',
    );
    expect(loadProgressStart(storage, endpoint, room)).to.deep.equal(record);
    expect(loadProgressStart(storage, endpoint, 'other')).to.equal(null);
  });

  it('reads anything malformed as nothing', () => {
    const storage = memoryStorage();
    const key = progressStartKey(endpoint, room);
    for (const raw of [
      '{',
      'null',
      '42',
      JSON.stringify({ ...record, seq: -1 }),
      JSON.stringify({ ...record, start: 1.5 }),
      JSON.stringify({ ...record, fromDraw: 'yes' }),
    ]) {
      storage.setItem(key, raw);
      expect(loadProgressStart(storage, endpoint, room), raw).to.equal(null);
    }
    storage.setItem(key, JSON.stringify({ ...record, start: null }));
    expect(loadProgressStart(storage, endpoint, room)?.start).to.equal(null);
  });

  it('never throws on a blocked storage or without one', () => {
    for (const storage of [blockedStorage(), null]) {
      saveProgressStart(storage, endpoint, room, record);
      expect(loadProgressStart(storage, endpoint, room)).to.equal(null);
      removeProgressStart(storage, endpoint, room);
    }
  });

  it('goes with its ticket: cleared, or dropped as stale, by the ticket store', async () => {
    const clock = createManualClock();
    const storage = memoryStorage();
    const store = createTicketStore({ endpoint, room, storage, clock });
    const ticket = { ticket: 't', seq: 42, ticketExpiresAt: clock.now() + 60_000 };
    store.save(ticket);
    saveProgressStart(storage, endpoint, room, record);
    store.clear();
    expect(loadProgressStart(storage, endpoint, room)).to.equal(null);

    store.save(ticket);
    saveProgressStart(storage, endpoint, room, record);
    await clock.advance(60_000 + EXPIRY_GRACE_MS);
    expect(store.load()).to.equal(null);
    expect(loadProgressStart(storage, endpoint, room)).to.equal(null);
  });
});
