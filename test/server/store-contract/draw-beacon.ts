/**
 * The store contract of a draw's beacon value (`QueueStore.setDrawBeacon`), registered inside
 * `describeStoreContract` so every store runs it: set once, only after the draw froze, only for
 * a draw committed with a beacon; with a second process (Redis), one of two racing values wins
 * for both; a durable store keeps it across a kill -9.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mergeRoomConfig } from '../../../src/server/room-config.js';
import type { QueueStore } from '../../../src/server/store/queue-store.js';
import type { StoreHandle } from './suite.js';

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const BEACON = { id: 'local-test', round: 4242, url: 'http://127.0.0.1:9/beacon' };
const VALUE_A = 'a1'.repeat(32);
const VALUE_B = 'b2'.repeat(32);

async function scheduled(store: QueueStore, room: string, beacon: typeof BEACON | null) {
  await store.putRoomConfig(room, mergeRoomConfig(null, { admitPerMinute: 0 }), T0);
  return store.commitDraw(room, {
    seed: 'ab'.repeat(32),
    commitment: 'cd'.repeat(32),
    committedAt: T0,
    opensAt: T0 + 60_000,
    beacon,
  });
}

/** Registers the beacon tests; `open` gives a fresh store per test. */
export function describeDrawBeacon(open: () => Promise<StoreHandle>): void {
  it('keeps the committed beacon round and takes its value once, only after the draw froze', async () => {
    const handle = await open();
    const { store } = handle;
    assert.equal(await store.setDrawBeacon('beacon', VALUE_A, T0), null, 'no draw');
    const committed = await scheduled(store, 'beacon', BEACON);
    assert.deepEqual(committed.beacon, BEACON);
    assert.equal(committed.beaconValue, null);
    await store.registerPreOpen('beacon', 'visitor', T0 + 1);
    const early = await store.setDrawBeacon('beacon', VALUE_A, T0 + 2);
    assert.equal(early!.beaconValue, null, 'not before the entrants froze');
    await store.runDraw('beacon', T0 + 60_000);
    const other = handle.second ? await handle.second() : store;
    const [a, b] = await Promise.all([
      store.setDrawBeacon('beacon', VALUE_A, T0 + 60_001),
      other.setDrawBeacon('beacon', VALUE_B, T0 + 60_001),
    ]);
    assert.ok(a!.beaconValue === VALUE_A || a!.beaconValue === VALUE_B);
    assert.equal(a!.beaconValue, b!.beaconValue, 'one value wins, for every process');
    const won = a!.beaconValue!;
    const later = await store.setDrawBeacon('beacon', won === VALUE_A ? VALUE_B : VALUE_A, T0);
    assert.equal(later!.beaconValue, won, 'never replaced');
    assert.deepEqual((await other.getDraw('beacon'))!.entrants, ['visitor']);
    if (handle.restart) {
      const restarted = await handle.restart();
      const kept = await restarted.getDraw('beacon');
      assert.deepEqual([kept!.beacon, kept!.beaconValue], [BEACON, won], 'durable');
    }
  });

  it('sets no value on a draw committed without a beacon', async () => {
    const { store } = await open();
    const committed = await scheduled(store, 'plain', null);
    assert.equal(committed.beacon ?? null, null);
    await store.runDraw('plain', T0 + 60_000);
    const after = await store.setDrawBeacon('plain', VALUE_A, T0 + 60_001);
    assert.equal(after!.beaconValue ?? null, null);
  });
}
