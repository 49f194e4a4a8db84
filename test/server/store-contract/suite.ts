/**
 * The store contract: every behaviour of `QueueStore`, written once and run against every
 * store (`store-contract.test.ts`): the memory store, the memory store with its file journal,
 * Redis and a Redis Cluster. Where two stores could differ, this suite says which answer is
 * right, so the embedded store, its journal replay and the Lua scripts cannot drift apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mergeRoomConfig } from '../../../src/server/room-config.js';
import { prunableAdvances } from '../../../src/server/room-timeline.js';
import type {
  AdvanceRecord,
  ClaimRecord,
  QueueStore,
  RoomConfig,
} from '../../../src/server/store/queue-store.js';
import { RoomNotFoundError } from '../../../src/server/store/store-errors.js';
import { RETENTION } from '../../../src/server/store/store-policy.js';
import { createTokenSigner } from '../../../src/server/token-signer.js';
import { describeDrawBeacon } from './draw-beacon.js';
import { describeIdentityBindings } from './identity-bindings.js';
import { describeSharedRecords } from './shared-records.js';

/** Stores of one kind, opened fresh per test. */
export interface StoreKind {
  name: string;
  /** Starts what the kind needs (a Redis, a temp dir root). */
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  /** A fresh, empty store (its own keys or directory). */
  open: () => Promise<StoreHandle>;
  /** Whether acknowledged changes survive a `kill -9` (then `restart` is given). */
  durable: boolean;
}

/** A store under test and what else its kind offers. */
export interface StoreHandle {
  store: QueueStore;
  /**
   * A second process on the same data (shared stores only: another Redis connection); the
   * embedded store has a single owner.
   */
  second?: () => Promise<QueueStore>;
  /**
   * Durable stores only: the store as a restarted process finds it after a `kill -9` (the
   * embedded store is reopened from disk without `close()`; Redis by a new connection).
   */
  restart?: () => Promise<QueueStore>;
}

export const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
export const config = (patch: Partial<RoomConfig> = {}): RoomConfig =>
  mergeRoomConfig(null, { admitPerMinute: 0, ...patch });

export const claimOf = (seq: number, patch: Partial<ClaimRecord> = {}): ClaimRecord => ({
  seq,
  sub: `visitor-${seq}`,
  jti: `jti-${seq}-${Math.random().toString(36).slice(2)}`,
  admission: `admission-${seq}`,
  claimedAt: T0,
  expiresAt: T0 + 120_000,
  consumed: false,
  ...patch,
});

const held = (claim: ClaimRecord | 'full'): ClaimRecord => {
  assert.notEqual(claim, 'full');
  return claim as ClaimRecord;
};

/** Hands out `count` seqs, one after the other. */
async function join(store: QueueStore, room: string, count: number, at = T0): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i += 1) seqs.push((await store.allocateSeq(room, at))!);
  return seqs;
}

/** Registers the contract tests against `kind`. */
export function describeStoreContract(kind: StoreKind): void {
  describe(`store contract: ${kind.name}`, () => {
    before(async () => kind.setup?.());
    after(async () => kind.teardown?.());
    const open = () => kind.open();

    it('creates rooms open at serving 0, replaces configs (cohorts included), lists in creation order', async () => {
      const { store } = await open();
      assert.equal(await store.getRoom('first'), null);
      const created = await store.putRoomConfig('first', config({ holdSeconds: 90 }), T0);
      assert.deepEqual(
        { ...created, config: created.config.holdSeconds },
        {
          room: 'first',
          config: 90,
          status: 'open',
          serving: 0,
          issued: 0,
          createdAt: T0,
          version: 1,
        },
      );
      await store.putRoomConfig('second', config(), T0 + 1);
      const cohorts = [
        { id: 'even', opensAt: T0, closesAt: T0 + 3_600_000 },
        { id: 'odd', opensAt: T0 + 3_600_000, closesAt: null },
      ];
      const replaced = await store.putRoomConfig(
        'first',
        config({ holdSeconds: 30, maxActive: 7, allowedOrigins: ['https://a.test'], cohorts }),
        T0 + 2,
      );
      assert.equal(replaced.createdAt, T0, 'replacing keeps the creation time');
      assert.equal(replaced.version, 2);
      assert.deepEqual((await store.getRoom('first'))!.config, replaced.config);
      assert.deepEqual(replaced.config.cohorts, cohorts, 'cohorts round trip');
      assert.equal(replaced.config.maxActive, 7);
      assert.deepEqual(
        (await store.listRooms()).map((room) => room.room),
        ['first', 'second'],
      );
      const paused = await store.setRoomStatus('first', 'paused', T0 + 3);
      assert.equal(paused?.status, 'paused');
      assert.equal(paused?.version, 3);
      assert.equal((await store.setRoomStatus('first', 'paused', T0))?.version, 3, 'no change');
      assert.equal(await store.setRoomStatus('missing', 'open', T0), null);
    });

    it('hands out unique seqs in order, under concurrent joins too, never past issued; null for no room', async () => {
      const handle = await open();
      const { store } = handle;
      await store.putRoomConfig('busy', config(), T0);
      assert.equal(await store.allocateSeq('missing', T0), null);
      const first = await join(store, 'busy', 5);
      assert.deepEqual(
        first,
        [...first].sort((a, b) => a - b),
        'one process: ascending',
      );
      assert.ok(first[0]! >= 1);
      const other = handle.second ? await handle.second() : store;
      const racing = (await Promise.all(
        Array.from({ length: 300 }, (_, i) => (i % 2 ? other : store).allocateSeq('busy', T0 + i)),
      )) as number[];
      const all = [...first, ...racing];
      assert.equal(new Set(all).size, all.length, 'no seq is handed out twice');
      assert.ok(Math.min(...racing) > Math.max(...first), 'later joins are behind earlier ones');
      const { issued } = (await store.getRoom('busy'))!;
      assert.ok(Math.max(...all) <= issued, 'issued covers every seq handed out');
    });

    it('moves serving only forward, never past issued, and records each move with the hold of its time', async () => {
      const handle = await open();
      const { store } = handle;
      await store.putRoomConfig('line', config({ holdSeconds: 120 }), T0);
      assert.equal((await store.advanceServing('line', 5, T0 + 1))?.serving, 0, 'nobody to serve');
      await join(store, 'line', 10);
      const { issued } = (await store.getRoom('line'))!;
      assert.equal((await store.advanceServing('line', 5, T0 + 1000))?.serving, 5);
      const other = handle.second ? await handle.second() : store;
      assert.equal((await other.advanceServing('line', 3, T0 + 2000))?.serving, 5, 'never back');
      await store.putRoomConfig('line', config({ holdSeconds: 300 }), T0 + 2500);
      assert.equal((await other.advanceServing('line', 8, T0 + 3000))?.serving, 8);
      const capped = await store.advanceServing('line', issued + 100, T0 + 3500);
      assert.equal(capped?.serving, issued, 'capped at issued');
      assert.equal(await store.advanceServing('missing', 1, T0), null);
      const expected: AdvanceRecord[] = [
        { at: T0, serving: 0, holdSeconds: 120 },
        { at: T0 + 1000, serving: 5, holdSeconds: 120 },
        { at: T0 + 3000, serving: 8, holdSeconds: 300 },
        { at: T0 + 3500, serving: issued, holdSeconds: 300 },
      ];
      assert.deepEqual((await store.getActivity('line', T0 + 4000)).advances, expected);
      assert.deepEqual(await store.getAdvances('line', T0 + 4000), expected);
      assert.deepEqual(await store.getAdvances('missing', T0), []);
      assert.deepEqual(await store.getActivity('missing', T0), { claims: [], advances: [] });
    });

    it('prunes moves exactly as prunableAdvances does with the shared retention policy', async () => {
      const { store } = await open();
      // Holds below, at and above the policy's minimum, moves close together and far apart.
      const holds = [10, 60, 600, 30, 120];
      const moves: AdvanceRecord[] = [{ at: T0, serving: 0, holdSeconds: holds[0]! }];
      await store.putRoomConfig('prune', config({ holdSeconds: holds[0] }), T0);
      await join(store, 'prune', 20);
      let at = T0;
      for (let i = 1; i <= 8; i += 1) {
        const holdSeconds = holds[i % holds.length]!;
        await store.putRoomConfig('prune', config({ holdSeconds }), at);
        at += i % 3 === 0 ? 200_000 : 5_000;
        await store.advanceServing('prune', i * 2, at);
        moves.push({ at, serving: i * 2, holdSeconds });
      }
      const { advanceMinHoldMs, advanceGraceMs } = RETENTION;
      // Probes right before and at each move's drop time, and far later.
      const edges = moves
        .slice(1)
        .map(
          (move) => move.at + Math.max(move.holdSeconds * 1000, advanceMinHoldMs) + advanceGraceMs,
        )
        .filter((edge) => edge > at)
        .sort((a, b) => a - b);
      const probes = [at + 1, ...edges.flatMap((edge) => [edge - 1, edge]), at + 86_400_000];
      let checked = 0;
      let last = -Infinity;
      for (const probe of probes) {
        // The embedded store sweeps at most once a second: probe each time once.
        if (probe - last < 1000) continue;
        last = probe;
        const kept = moves.slice(prunableAdvances(moves, probe));
        assert.deepEqual(await store.getAdvances('prune', probe), kept, `at +${probe - T0} ms`);
        checked += 1;
      }
      assert.ok(checked >= 4, `probed ${checked} times`);
      assert.equal(
        (await store.getAdvances('prune', at + 86_400_000)).length,
        1,
        'the last move stays',
      );
    });

    it('keeps the first claim of a seq, returns it to retries and to the other process, and leaves admissions out of activity', async () => {
      const handle = await open();
      const { store } = handle;
      await store.putRoomConfig('claims', config({ holdSeconds: 120 }), T0);
      assert.equal(await store.getClaim('claims', 1, T0), null);
      const other = handle.second ? await handle.second() : store;
      const first = claimOf(1);
      const [a, b] = await Promise.all([
        store.recordClaim('claims', first, T0),
        other.recordClaim('claims', claimOf(1, { sub: 'someone-else' }), T0),
      ]);
      assert.deepEqual(a, b, 'both see the same winner');
      const winner = held(a);
      assert.deepEqual(await store.recordClaim('claims', claimOf(1), T0 + 10), winner, 'a retry');
      assert.deepEqual(await other.getClaim('claims', 1, T0 + 1000), winner);
      assert.equal(winner.admission.startsWith('admission-1'), true);
      await store.recordClaim('claims', claimOf(3), T0);
      const { claims } = await store.getActivity('claims', T0 + 1000);
      assert.deepEqual(
        claims.map((claim) => claim.seq),
        [1, 3],
        'sorted by seq',
      );
      assert.deepEqual(
        claims.map((claim) => claim.admission),
        ['', ''],
        'no admissions',
      );
      assert.equal(claims[0]!.jti, winner.jti);
    });

    it('blanks an expired admission, replaces an expired claim, never a consumed one', async () => {
      const { store } = await open();
      await store.putRoomConfig('expiry', config({ holdSeconds: 600 }), T0);
      const old = claimOf(2, { expiresAt: T0 + 1000 });
      assert.equal(held(await store.recordClaim('expiry', old, T0)).admission, old.admission);
      const expired = await store.getClaim('expiry', 2, T0 + 2000);
      assert.equal(expired?.admission, '', 'an expired admission is never handed out again');
      assert.equal(expired?.jti, old.jti, 'but the claim is kept');
      const renewed = claimOf(2, { claimedAt: T0 + 2000, expiresAt: T0 + 60_000 });
      assert.deepEqual(await store.recordClaim('expiry', renewed, T0 + 2000), renewed);
      assert.deepEqual(await store.getClaim('expiry', 2, T0 + 2001), renewed);

      const used = claimOf(3, { expiresAt: T0 + 1000 });
      await store.recordClaim('expiry', used, T0);
      assert.equal(await store.bookPlace('expiry', 3, T0 + 600_000, T0 + 500), true);
      const retry = held(await store.recordClaim('expiry', claimOf(3), T0 + 5000));
      assert.equal(retry.jti, used.jti, 'the claim of a booked place is never replaced');
      assert.equal(retry.consumed, true);
      assert.equal(retry.admission, '', 'and its expired admission stays blank');
    });

    it('throws RoomNotFoundError for a claim or a booking in no room', async () => {
      const { store } = await open();
      await assert.rejects(store.recordClaim('missing', claimOf(1), T0), RoomNotFoundError);
      await assert.rejects(store.bookPlace('missing', 1, T0 + 1000, T0), (error: unknown) => {
        assert.ok(error instanceof RoomNotFoundError);
        assert.equal(error.room, 'missing');
        return true;
      });
    });

    it("answers 'full' when outstanding claims plus reserved fill maxActive; bookings and expiry free slots", async () => {
      const handle = await open();
      const { store } = handle;
      await store.putRoomConfig('full', config({ maxActive: 2 }), T0);
      const capacity = { maxActive: 2, reserved: 0 };
      held(await store.recordClaim('full', claimOf(1), T0, capacity));
      const other = handle.second ? await handle.second() : store;
      const racing = await Promise.all([
        store.recordClaim('full', claimOf(2, { expiresAt: T0 + 10_000 }), T0, capacity),
        other.recordClaim('full', claimOf(3, { expiresAt: T0 + 10_000 }), T0, capacity),
      ]);
      assert.equal(racing.filter((result) => result === 'full').length, 1, 'one of two wins');
      assert.equal(await store.recordClaim('full', claimOf(4), T0, capacity), 'full');
      assert.equal(
        await store.recordClaim('full', claimOf(4), T0, { maxActive: 3, reserved: 1 }),
        'full',
        'reserved slots count',
      );
      const retry = racing.find((result) => result !== 'full') as ClaimRecord;
      assert.deepEqual(
        await store.recordClaim('full', claimOf(retry.seq), T0 + 1, capacity),
        retry,
        'a retry of a held claim is never full',
      );
      assert.equal(await store.bookPlace('full', 1, T0 + 600_000, T0 + 1), true);
      assert.equal(held(await store.recordClaim('full', claimOf(5), T0 + 2, capacity)).seq, 5);
      assert.equal(await store.recordClaim('full', claimOf(6), T0 + 3, capacity), 'full');
      // Claim 2 or 3 expires at T0 + 10 s: its slot frees.
      assert.equal(held(await store.recordClaim('full', claimOf(6), T0 + 10_000, capacity)).seq, 6);
    });

    it('books a place once, marks its claim consumed, keeps it past claim pruning until keepUntil', async () => {
      const handle = await open();
      const { store } = handle;
      await store.putRoomConfig('booked', config({ holdSeconds: 60 }), T0);
      const claim = claimOf(4, { expiresAt: T0 + 1000 });
      await store.recordClaim('booked', claim, T0);
      const other = handle.second ? await handle.second() : store;
      const wins = await Promise.all([
        store.bookPlace('booked', 4, T0 + 300_000, T0 + 500),
        other.bookPlace('booked', 4, T0 + 300_000, T0 + 500),
      ]);
      assert.deepEqual(wins.sort(), [false, true], 'one booking wins');
      assert.equal(await store.bookPlace('booked', 4, T0 + 300_000, T0 + 600), false);
      assert.equal((await store.getClaim('booked', 4, T0 + 600))?.consumed, true);
      assert.equal((await store.getActivity('booked', T0 + 600)).claims[0]?.consumed, true);
      // Booked without a claim of this store: reads as consumed too.
      assert.equal(await store.bookPlace('booked', 9, T0 + 300_000, T0 + 600), true);
      assert.deepEqual(await store.getClaim('booked', 9, T0 + 700), {
        seq: 9,
        sub: '',
        jti: '',
        admission: '',
        claimedAt: 0,
        expiresAt: 0,
        consumed: true,
      });
      // Past the hold window the claim is pruned; the booking is not.
      assert.equal((await store.getActivity('booked', T0 + 200_000)).claims.length, 0);
      const pruned = await other.getClaim('booked', 4, T0 + 200_000);
      assert.equal(pruned?.consumed, true);
      const late = held(
        await store.recordClaim('booked', claimOf(4, { claimedAt: T0 + 200_000 }), T0 + 200_000),
      );
      assert.equal(late.consumed, true, 'no new admission for a booked place');
      assert.equal(await store.getClaim('booked', 4, T0 + 300_001), null, 'forgotten once past');
    });

    it('keeps an expired claim for the hold window (at least the policy minimum), then drops it', async () => {
      const { store } = await open();
      const { claimMinKeepMs } = RETENTION;
      await store.putRoomConfig('short', config({ holdSeconds: 10 }), T0);
      await store.putRoomConfig('long', config({ holdSeconds: 200 }), T0);
      for (const room of ['short', 'long']) {
        await store.recordClaim(room, claimOf(1, { expiresAt: T0 + 1000 }), T0);
        await store.recordClaim(room, claimOf(2, { expiresAt: T0 + 86_400_000 }), T0);
      }
      const seqs = async (room: string, at: number) =>
        (await store.getActivity(room, at)).claims.map((claim) => claim.seq);
      assert.deepEqual(await seqs('short', T0 + claimMinKeepMs - 2000), [1, 2]);
      assert.deepEqual(await seqs('short', T0 + claimMinKeepMs), [2], 'unexpired claims stay');
      assert.equal(await store.getClaim('short', 1, T0 + claimMinKeepMs), null);
      assert.deepEqual(await seqs('long', T0 + 200_000 - 2000), [1, 2]);
      assert.deepEqual(await seqs('long', T0 + 200_000), [2]);
    });

    it('lets exactly one of many concurrent uses of a key win, and remembers it', async () => {
      const handle = await open();
      const { store } = handle;
      const other = handle.second ? await handle.second() : store;
      const now = Date.now();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? other : store).consumeJti('shared', now + 120_000, now),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store.consumeJti('shared', now + 120_000, now + 60_000), false);
      assert.equal(await store.consumeJti('other', now + 120_000, now), true);
      assert.equal(await other.consumeJti('other', now + 120_000, now), false);
    });

    it('adds up counters', async () => {
      const handle = await open();
      const { store } = handle;
      const other = handle.second ? await handle.second() : store;
      await store.incrementCounter({ name: 'joins', room: 'x' });
      await store.incrementCounter({ name: 'joins', room: 'x' }, 2);
      await other.incrementCounter({ name: 'joins', room: 'x' });
      await other.incrementCounter({ name: 'errors', code: 'internal' });
      await store.flush();
      await other.flush();
      const samples = (await store.readCounters()).sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(samples, [
        { name: 'errors', code: 'internal', value: 1 },
        { name: 'joins', room: 'x', value: 4 },
      ]);
    });

    it('saves signing keys once with initSigningKeys (the first wins), replaces them with save', async () => {
      const handle = await open();
      const { store } = handle;
      assert.deepEqual(await store.loadSigningKeys(), []);
      const a = (await createTokenSigner({ issuer: 'http://q.test' })).exportKeys();
      const b = (await createTokenSigner({ issuer: 'http://q.test' })).exportKeys();
      const other = handle.second ? await handle.second() : store;
      const [wonA, wonB] = await Promise.all([store.initSigningKeys(a), other.initSigningKeys(b)]);
      assert.deepEqual(wonA, wonB, 'both end up with the same keys');
      assert.ok([a, b].some((keys) => JSON.stringify(keys) === JSON.stringify(wonA)));
      assert.deepEqual(await store.loadSigningKeys(), wonA);
      assert.deepEqual(await store.initSigningKeys(b), wonA, 'saved keys are kept');
      await store.saveSigningKeys(b);
      assert.deepEqual(await other.loadSigningKeys(), b);
    });

    it('gives a lease to one process at a time', async () => {
      const handle = await open();
      const lease = handle.store.lease('ticker', { ttlMs: 5000, owner: 'A' });
      assert.equal(lease.owner, 'A');
      assert.equal(await lease.acquire(), true);
      assert.equal(await lease.acquire(), true, 'the holder renews');
      if (handle.second) {
        const rival = (await handle.second()).lease('ticker', { ttlMs: 5000, owner: 'B' });
        assert.equal(await rival.acquire(), false, 'held by A');
        await lease.release();
        assert.equal(await rival.acquire(), true, 'released: free at once');
        await rival.release();
      } else {
        await lease.release();
        assert.equal(await lease.acquire(), true, 'the single owner of the store always holds it');
      }
    });

    it('commits one draw per room, registers entrants as a set, runs the draw once and atomically', async () => {
      const handle = await open();
      const { store } = handle;
      await store.putRoomConfig('draw', config(), T0);
      assert.equal(await store.getDraw('draw'), null);
      assert.equal(await store.registerPreOpen('draw', 'early', T0), false, 'no draw yet');
      assert.equal(await store.runDraw('draw', T0), null);
      const draw = {
        seed: 'ab'.repeat(32),
        commitment: 'cd'.repeat(32),
        committedAt: T0,
        opensAt: T0 + 60_000,
      };
      const committed = await store.commitDraw('draw', draw);
      assert.deepEqual(committed, { ...draw, drawnAt: null, base: 0, entrants: [] });
      const again = await store.commitDraw('draw', { ...draw, seed: 'ee'.repeat(32) });
      assert.equal(again.seed, draw.seed, 'a commitment never changes');
      assert.equal(await store.registerPreOpen('missing', 'x', T0), false, 'no room');
      for (const sub of ['carol', 'alice', 'bob', 'alice']) {
        assert.equal(await store.registerPreOpen('draw', sub, T0 + 1), true);
      }
      assert.deepEqual(
        (await store.getDraw('draw'))!.entrants,
        ['alice', 'bob', 'carol'],
        'a set, sorted',
      );
      const before = await join(store, 'draw', 3);
      const { issued } = (await store.getRoom('draw'))!;
      const other = handle.second ? await handle.second() : store;
      const [ranA, ranB] = await Promise.all([
        store.runDraw('draw', T0 + 60_000),
        other.runDraw('draw', T0 + 60_001),
      ]);
      assert.deepEqual(ranA, ranB, 'one run, whoever asks');
      assert.equal(ranA!.base, issued, 'the draw starts at issued');
      assert.ok(ranA!.drawnAt === T0 + 60_000 || ranA!.drawnAt === T0 + 60_001);
      assert.equal(
        (await store.getRoom('draw'))!.issued,
        issued + 3,
        'issued moves past the entrants',
      );
      assert.deepEqual(await store.runDraw('draw', T0 + 90_000), ranA, 'idempotent');
      assert.equal(await store.registerPreOpen('draw', 'late', T0 + 90_000), false, 'frozen');
      const [later] = await join(store, 'draw', 1, T0 + 90_000);
      assert.ok(later! > issued + 3 && later! > Math.max(...before), 'joins come after the draw');
    });

    describeSharedRecords(open);
    describeIdentityBindings(open);
    describeDrawBeacon(open);

    // The plain memory store keeps nothing by design: only durable kinds get this test.
    if (!kind.durable) return;
    it('keeps what it acknowledged across a kill -9 and a restart', async () => {
      const handle = await open();
      assert.ok(handle.restart, 'a durable kind can restart');
      const { store } = handle;
      await store.putRoomConfig('kept', config({ holdSeconds: 300 }), T0);
      const seqs = await join(store, 'kept', 5);
      await store.advanceServing('kept', 3, T0 + 1000);
      const claim = held(
        await store.recordClaim('kept', claimOf(1, { expiresAt: T0 + 400_000 }), T0 + 1000),
      );
      await store.recordClaim('kept', claimOf(2), T0 + 1000);
      await store.bookPlace('kept', 2, T0 + 900_000, T0 + 1100);
      const now = Date.now();
      await store.consumeJti('used', now + 600_000, now);
      const keys = (await createTokenSigner({ issuer: 'http://q.test' })).exportKeys();
      await store.initSigningKeys(keys);
      await store.commitDraw('kept', {
        seed: 'ab'.repeat(32),
        commitment: 'cd'.repeat(32),
        committedAt: T0,
        opensAt: T0,
      });
      await store.registerPreOpen('kept', 'zed', T0);
      await store.registerPreOpen('kept', 'amy', T0);

      const restarted = await handle.restart!();
      const room = (await restarted.getRoom('kept'))!;
      assert.equal(room.serving, 3);
      assert.equal(room.config.holdSeconds, 300);
      assert.deepEqual(
        (await restarted.getAdvances('kept', T0 + 2000)).map((move) => move.serving),
        [0, 3],
      );
      assert.deepEqual(await restarted.getClaim('kept', 1, T0 + 2000), claim);
      assert.equal((await restarted.getClaim('kept', 2, T0 + 2000))?.consumed, true);
      assert.equal(await restarted.bookPlace('kept', 2, T0 + 900_000, T0 + 2000), false);
      assert.equal(await restarted.consumeJti('used', now + 600_000, now + 1), false);
      assert.deepEqual(await restarted.loadSigningKeys(), keys);
      assert.deepEqual((await restarted.getDraw('kept'))!.entrants, ['amy', 'zed']);
      const [next] = await join(restarted, 'kept', 1);
      assert.ok(next! > Math.max(...seqs), 'no seq is handed out twice across a restart');
    });
  });
}
