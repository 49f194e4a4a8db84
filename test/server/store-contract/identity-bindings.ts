/**
 * The store contract of identity bindings and released places (`identity-records.ts`),
 * registered inside `describeStoreContract` so the memory store, its journal, Redis and Redis
 * Cluster all run it. With a second process (Redis), both race on one binding; a durable kind
 * keeps bindings and released places across a kill -9.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mergeRoomConfig } from '../../../src/server/room-config.js';
import type { IdentityBinding, QueueStore } from '../../../src/server/store/queue-store.js';
import { RoomNotFoundError } from '../../../src/server/store/store-errors.js';
import type { StoreHandle } from './suite.js';

const AT = Date.UTC(2026, 0, 1, 9, 0, 0);
const IDH = 'x'.repeat(43);
const place = (sub: string, seq: number, cohort?: string): IdentityBinding =>
  cohort === undefined ? { sub, seq } : { sub, seq, cohort };

async function roomIn(store: QueueStore, room: string): Promise<void> {
  await store.putRoomConfig(room, mergeRoomConfig(null, { admitPerMinute: 0 }), AT);
}

/** Registers the identity tests; `open` gives a fresh store per test. */
export function describeIdentityBindings(open: () => Promise<StoreHandle>): void {
  it('binds an identity once, replaces it only from the binding read, and releases in the same step', async () => {
    const { store } = await open();
    await roomIn(store, 'one');
    assert.equal(await store.getIdentityBinding('one', IDH), null);
    const first = place('sub-a', 0, 'even');
    assert.deepEqual(
      await store.bindIdentity('one', { idh: IDH, expected: null, next: first }, AT),
      first,
    );
    // A second "new" binding loses: it answers the binding that holds.
    const late = await store.bindIdentity(
      'one',
      { idh: IDH, expected: null, next: place('sub-b', 4) },
      AT,
    );
    assert.deepEqual(late, first);
    // Expecting a stale binding (another seq for the same sub) changes nothing either.
    const stale = { idh: IDH, expected: place('sub-a', 3, 'even'), next: place('sub-c', 9) };
    assert.deepEqual(await store.bindIdentity('one', stale, AT), first);
    assert.equal(await store.isPlaceReleased('one', 'sub-a', AT), false);
    const moved = place('sub-t', 2);
    const change = {
      idh: IDH,
      expected: first,
      next: moved,
      release: { sub: 'sub-a', keepUntil: AT + 60_000 },
    };
    assert.deepEqual(await store.bindIdentity('one', change, AT + 1), moved);
    assert.deepEqual(await store.getIdentityBinding('one', IDH), moved);
    assert.equal(await store.isPlaceReleased('one', 'sub-a', AT + 59_999), true);
    assert.equal(
      await store.isPlaceReleased('one', 'sub-a', AT + 60_000),
      false,
      'forgotten after',
    );
    assert.equal(await store.isPlaceReleased('one', 'sub-t', AT + 1), false);
    // Rooms do not share bindings or released places.
    await roomIn(store, 'two');
    assert.equal(await store.getIdentityBinding('two', IDH), null);
    assert.equal(await store.isPlaceReleased('two', 'sub-a', AT + 1), false);
    await assert.rejects(
      store.bindIdentity('missing', { idh: IDH, expected: null, next: first }, AT),
      RoomNotFoundError,
    );
    await assert.rejects(store.releasePlace('missing', 'sub-a', AT + 1, AT), RoomNotFoundError);
  });

  it('releases a place on its own, keeping the later of two times', async () => {
    const { store } = await open();
    await roomIn(store, 'rel');
    await store.releasePlace('rel', 'sub-x', AT + 10_000, AT);
    await store.releasePlace('rel', 'sub-x', AT + 5_000, AT + 1);
    assert.equal(await store.isPlaceReleased('rel', 'sub-x', AT + 9_000), true);
    await store.releasePlace('rel', 'sub-y', Number.MAX_SAFE_INTEGER, AT);
    assert.equal(
      await store.isPlaceReleased('rel', 'sub-y', AT + 10 ** 12),
      true,
      'kept while waiting',
    );
  });

  it('lets exactly one of many concurrent first bindings win, across processes', async () => {
    const handle = await open();
    const store = handle.store;
    const other = handle.second ? await handle.second() : store;
    await roomIn(store, 'race');
    const held = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? other : store).bindIdentity(
          'race',
          { idh: IDH, expected: null, next: place(`sub-${i}`, 0) },
          AT,
        ),
      ),
    );
    const winners = new Set(held.map((binding) => binding.sub));
    assert.equal(winners.size, 1, 'every racer answers the one winner');
    assert.deepEqual(await other.getIdentityBinding('race', IDH), held[0]);
  });

  it('keeps bindings and released places across a kill -9 (durable stores)', async () => {
    const handle = await open();
    if (!handle.restart) return; // the plain memory store keeps nothing by design
    const { store } = handle;
    await roomIn(store, 'kept');
    const bound = place('sub-k', 7, 'odd');
    await store.bindIdentity('kept', { idh: IDH, expected: null, next: bound }, AT);
    await store.releasePlace('kept', 'sub-gone', Number.MAX_SAFE_INTEGER, AT);
    const restarted = await handle.restart();
    assert.deepEqual(await restarted.getIdentityBinding('kept', IDH), bound);
    assert.equal(await restarted.isPlaceReleased('kept', 'sub-gone', AT + 1), true);
    const next = place('sub-l', 9);
    assert.deepEqual(
      await restarted.bindIdentity('kept', { idh: IDH, expected: bound, next }, AT),
      next,
      'the restarted store compares against the binding it read back',
    );
  });
}
