import { expect } from '@open-wc/testing';
import {
  EXPIRY_GRACE_MS,
  createTicketStore,
  ticketStorageKey,
} from '../../src/core/ticket-store.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { blockedStorage, fullStorage, memoryStorage } from './helpers/test-doubles.js';

const endpoint = 'https://queue.test';
const room = 'concert';

describe('ticket-store', () => {
  const clock = createManualClock();
  const record = () => ({ ticket: 'ticket-1', seq: 42, ticketExpiresAt: clock.now() + 60_000 });

  it('keeps the ticket under the versioned key of its endpoint and room', () => {
    const storage = memoryStorage();
    createTicketStore({ endpoint, room, storage, clock }).save(record());
    const key = ticketStorageKey(endpoint, room);
    expect(key).to.equal('queue-gate:v1:ticket:https://queue.test:concert');
    const raw = JSON.parse(storage.data.get(key) ?? 'null');
    expect(raw).to.include({ v: 1, ticket: 'ticket-1', seq: 42, room, endpoint });
  });

  it('finds the same ticket from a new store over the same storage (a reload)', () => {
    const storage = memoryStorage();
    createTicketStore({ endpoint, room, storage, clock }).save(record());
    expect(createTicketStore({ endpoint, room, storage, clock }).load()?.seq).to.equal(42);
  });

  it('uses real localStorage by default', () => {
    const store = createTicketStore({
      endpoint,
      room: `ls-${Math.random().toString(36).slice(2)}`,
      clock,
    });
    try {
      store.save(record());
      expect(localStorage.getItem(store.key)).to.contain('ticket-1');
      expect(store.load()?.ticket).to.equal('ticket-1');
    } finally {
      store.clear();
    }
    expect(localStorage.getItem(store.key)).to.equal(null);
  });

  it('discards corrupt, foreign-version, foreign-room and expired values without throwing', () => {
    const key = ticketStorageKey(endpoint, room);
    const base = { v: 1, ticket: 't', seq: 3, room, endpoint, ticketExpiresAt: clock.now() + 1000 };
    const bad = [
      '{not json',
      'null',
      '42',
      JSON.stringify({ ...base, v: 2 }),
      JSON.stringify({ ...base, room: 'other' }),
      JSON.stringify({ ...base, endpoint: 'https://evil.test' }),
      JSON.stringify({ ...base, seq: -1 }),
      JSON.stringify({ ...base, ticket: '' }),
      JSON.stringify({ ...base, ticketExpiresAt: clock.now() - EXPIRY_GRACE_MS }),
    ];
    for (const raw of bad) {
      const storage = memoryStorage();
      storage.data.set(key, raw);
      expect(createTicketStore({ endpoint, room, storage, clock }).load(), raw).to.equal(null);
      expect(storage.data.has(key), raw).to.equal(false);
    }
  });

  it('keeps a ticket just past its expiry, since the device clock may run ahead of the server', () => {
    const storage = memoryStorage();
    const store = createTicketStore({ endpoint, room, storage, clock });
    store.save({ ...record(), ticketExpiresAt: clock.now() - 3 * 60 * 60 * 1000 });
    expect(store.load()?.seq).to.equal(42);
    store.save({ ...record(), ticketExpiresAt: clock.now() - EXPIRY_GRACE_MS - 1 });
    expect(store.load()).to.equal(null);
  });

  it('keeps the ticket but drops an expired admission', () => {
    const storage = memoryStorage();
    const store = createTicketStore({ endpoint, room, storage, clock });
    store.save({ ...record(), admission: 'adm', admissionExpiresAt: clock.now() - 1 });
    const loaded = store.load();
    expect(loaded?.seq).to.equal(42);
    expect(loaded?.admission).to.equal(undefined);
    store.save({ ...record(), admission: 'adm', admissionExpiresAt: clock.now() + 1000 });
    expect(store.load()?.admission).to.equal('adm');
  });

  it('falls back to memory where storage is blocked', () => {
    const store = createTicketStore({ endpoint, room, storage: blockedStorage(), clock });
    expect(store.load()).to.equal(null);
    store.save(record());
    expect(store.load()?.seq).to.equal(42);
    expect(store.usingFallback).to.equal(true);
    store.clear();
    expect(store.load()).to.equal(null);
  });

  it('falls back to memory where storage is full', () => {
    const store = createTicketStore({ endpoint, room, storage: fullStorage(), clock });
    store.save(record());
    expect(store.usingFallback).to.equal(true);
    expect(store.load()?.ticket).to.equal('ticket-1');
  });

  it('forgets the ticket on clear', () => {
    const storage = memoryStorage();
    const store = createTicketStore({ endpoint, room, storage, clock });
    store.save(record());
    store.clear();
    expect(store.load()).to.equal(null);
    expect(storage.data.size).to.equal(0);
  });
});
