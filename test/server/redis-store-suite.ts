/**
 * The behaviour tests of {@link RedisStore}, written once and run against each kind of Redis
 * (a single redis-server, a three-master Cluster) by `redis-store.test.ts`.
 *
 * Why one suite: a Cluster refuses what a single node accepts (keys of several slots in one
 * script or pipeline), so every store operation must be proven on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Cluster, Redis } from 'ioredis';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import type { RedisStoreOptions } from '../../src/server/store/redis-store.js';
import { StoreUnavailableError } from '../../src/server/store/store-errors.js';
import type { ClaimRecord } from '../../src/server/store/queue-store.js';
import { createTokenSigner } from '../../src/server/token-signer.js';
import { freePort } from './support/redis-server.js';

/** A running Redis of some kind, as the suite needs it. */
export interface RedisTarget {
  /** `url` (and `cluster`) as {@link RedisStore.open} takes them. */
  url: string;
  cluster: boolean;
  /** A client for reading keys directly. */
  client: Redis | Cluster;
  stop: () => Promise<void>;
}

/** How to start one kind of Redis. */
export interface RedisKind {
  /** Used in the test names, e.g. "a real redis-server". */
  name: string;
  start: () => Promise<RedisTarget>;
  /** A URL (seed list) at which nothing listens. */
  unreachableUrl: (port: number) => string;
  cluster: boolean;
}

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const config = (patch = {}) => mergeRoomConfig(null, { admitPerMinute: 0, ...patch });

const claimOf = (seq: number, patch: Partial<ClaimRecord> = {}): ClaimRecord => ({
  seq,
  sub: `visitor-${seq}`,
  jti: `jti-${seq}-${Math.random().toString(36).slice(2)}`,
  admission: `admission-${seq}`,
  claimedAt: T0,
  expiresAt: T0 + 120_000,
  consumed: false,
  ...patch,
});

const jtiOf = (claim: ClaimRecord | 'full'): string => (claim === 'full' ? 'full' : claim.jti);

/** Reconnect strategies for both client kinds; each ignores the other's. */
const retrying = (strategy: () => number | null): Partial<RedisStoreOptions> => ({
  redisOptions: { retryStrategy: strategy },
  clusterOptions: { clusterRetryStrategy: strategy },
});

/** Registers the RedisStore behaviour tests against `kind`. */
export function describeRedisStore(kind: RedisKind): void {
  describe(`RedisStore against ${kind.name}`, () => {
    let server: RedisTarget;
    const stores: RedisStore[] = [];
    let prefixCount = 0;

    before(async () => {
      server = await kind.start();
    });
    after(async () => {
      for (const store of stores) await store.close().catch(() => {});
      await server?.stop();
    });

    /** Two stores on separate connections with one prefix act like two server processes. */
    const open = async (prefix: string, extra: Partial<RedisStoreOptions> = {}) => {
      const store = await RedisStore.open({
        url: server.url,
        cluster: server.cluster,
        keyPrefix: prefix,
        ...extra,
      });
      stores.push(store);
      return store;
    };
    const pair = async (extra: Partial<RedisStoreOptions> = {}) => {
      prefixCount += 1;
      const prefix = `t${prefixCount}:`;
      return [await open(prefix, extra), await open(prefix, extra)] as const;
    };

    it('creates a room open at serving 0, replaces its config, and lists rooms in creation order', async () => {
      const [a, b] = await pair();
      assert.equal(await a.getRoom('first'), null);
      const created = await a.putRoomConfig('first', config({ holdSeconds: 90 }), T0);
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
      await b.putRoomConfig('second', config(), T0 + 1);
      const replaced = await b.putRoomConfig('first', config({ holdSeconds: 30 }), T0 + 2);
      assert.equal(replaced.config.holdSeconds, 30);
      assert.equal(replaced.createdAt, T0, 'replacing keeps the creation time');
      assert.equal(replaced.version, 2);
      assert.deepEqual(
        (await a.listRooms()).map((room) => room.room),
        ['first', 'second'],
      );
      assert.deepEqual(await a.getRoom('first'), replaced, 'the other process reads the same room');
    });

    it('sets the status once per change and answers null for a missing room', async () => {
      const [a] = await pair();
      await a.putRoomConfig('r', config(), T0);
      const paused = await a.setRoomStatus('r', 'paused', T0);
      assert.equal(paused?.status, 'paused');
      assert.equal(paused?.version, 2);
      assert.equal((await a.setRoomStatus('r', 'paused', T0))?.version, 2, 'no change, no bump');
      assert.equal(await a.setRoomStatus('nope', 'open', T0), null);
    });

    it('hands out unique seqs under concurrent joins at two processes, and null for no room', async () => {
      const [a, b] = await pair();
      await a.putRoomConfig('busy', config(), T0);
      assert.equal(await a.allocateSeq('missing', T0), null);
      const joins = Array.from({ length: 400 }, (_, i) =>
        (i % 2 === 0 ? a : b).allocateSeq('busy', T0 + Math.floor(i / 20)),
      );
      const seqs = (await Promise.all(joins)) as number[];
      assert.equal(new Set(seqs).size, 400, 'no seq is handed out twice');
      const { issued } = (await b.getRoom('busy'))!;
      assert.ok(Math.max(...seqs) <= issued, 'issued covers every seq handed out');
      assert.ok(
        issued < 400 + 2 * 64,
        `at most a block per process is left unused (issued ${issued})`,
      );
      assert.ok(Math.min(...seqs) >= 1);
    });

    it('moves serving only forward and never past issued, records each move with its hold, and answers null for a missing room', async () => {
      const [a, b] = await pair();
      await a.putRoomConfig('line', config(), T0);
      assert.equal((await a.advanceServing('line', 5, T0 + 500))?.serving, 0, 'nobody to serve');
      for (let i = 0; i < 10; i += 1) await a.allocateSeq('line', T0);
      const { issued } = (await a.getRoom('line'))!;
      assert.equal((await a.advanceServing('line', 5, T0 + 1000))?.serving, 5);
      assert.equal((await b.advanceServing('line', 3, T0 + 2000))?.serving, 5, 'never lowered');
      assert.equal((await b.advanceServing('line', 8, T0 + 3000))?.serving, 8);
      assert.equal(await a.advanceServing('missing', 1, T0), null);
      const hold = config().holdSeconds;
      const { advances } = await a.getActivity('line', T0 + 3000);
      assert.deepEqual(advances, [
        { at: T0, serving: 0, holdSeconds: hold },
        { at: T0 + 1000, serving: 5, holdSeconds: hold },
        { at: T0 + 3000, serving: 8, holdSeconds: hold },
      ]);
      assert.equal(
        (await a.advanceServing('line', issued + 100, T0 + 3500))?.serving,
        issued,
        'capped at issued',
      );
      const later = await a.getActivity('line', T0 + 10 * 60_000);
      assert.deepEqual(
        later.advances,
        [{ at: T0 + 3500, serving: issued, holdSeconds: hold }],
        'old moves are pruned, keeping the one that says where serving stood',
      );
      assert.deepEqual(await a.getActivity('missing', T0), { claims: [], advances: [] });
    });

    it('keeps the first claim of a seq when two processes race, and returns it to retries', async () => {
      const [a, b] = await pair();
      await a.putRoomConfig('claims', config({ holdSeconds: 120 }), T0);
      assert.equal(await a.getClaim('claims', 1, T0), null);
      const first = claimOf(1);
      const second = claimOf(1, { sub: 'someone-else' });
      const [ra, rb] = await Promise.all([
        a.recordClaim('claims', first, T0),
        b.recordClaim('claims', second, T0),
      ]);
      assert.deepEqual(ra, rb, 'both processes see the same winner');
      assert.notEqual(ra, 'full');
      if (ra === 'full') return;
      const held = await b.getClaim('claims', 1, T0 + 1000);
      assert.deepEqual(held, ra);
      const { claims } = await a.getActivity('claims', T0 + 1000);
      assert.equal(claims.length, 1);
      assert.equal(claims[0]!.admission, '', 'activity leaves the signed admission out');
      assert.equal(claims[0]!.jti, jtiOf(ra));
      await assert.rejects(a.recordClaim('missing', claimOf(1), T0), /No room missing/);
    });

    it('replaces an expired claim but never for a booked place, and drops expired admissions', async () => {
      const [a, b] = await pair();
      await a.putRoomConfig('expiry', config({ holdSeconds: 600 }), T0);
      const old = claimOf(2, { expiresAt: T0 + 1000 });
      await a.recordClaim('expiry', old, T0);
      assert.equal((await a.getClaim('expiry', 2, T0 + 2000))?.admission, '', 'expired: no token');
      const renewed = claimOf(2, { claimedAt: T0 + 2000, expiresAt: T0 + 60_000 });
      assert.equal(jtiOf(await b.recordClaim('expiry', renewed, T0 + 2000)), renewed.jti);

      const used = claimOf(3, { expiresAt: T0 + 1000 });
      await a.recordClaim('expiry', used, T0);
      assert.equal(await b.bookPlace('expiry', 3, T0 + 600_000, T0 + 500), true);
      assert.equal(await a.bookPlace('expiry', 3, T0 + 600_000, T0 + 600), false, 'books once');
      assert.equal((await a.getClaim('expiry', 3, T0 + 500))?.consumed, true, 'marked consumed');
      const retry = await a.recordClaim('expiry', claimOf(3), T0 + 5000);
      assert.notEqual(retry, 'full');
      if (retry === 'full') return;
      assert.equal(retry.jti, used.jti, 'the claim of a booked place is never replaced');
      assert.equal(retry.consumed, true);
    });

    it('keeps a booked place booked after its claim is pruned, until its keep-until time', async () => {
      const [a, b] = await pair();
      await a.putRoomConfig('booked', config({ holdSeconds: 60 }), T0);
      await a.recordClaim('booked', claimOf(4, { expiresAt: T0 + 1000 }), T0);
      assert.equal(await a.bookPlace('booked', 4, T0 + 300_000, T0 + 500), true);
      // Past the hold window the claim itself is pruned; the booking is not.
      assert.equal((await a.getActivity('booked', T0 + 200_000)).claims.length, 0);
      assert.equal((await b.getClaim('booked', 4, T0 + 200_000))?.consumed, true);
      const late = await b.recordClaim(
        'booked',
        claimOf(4, { claimedAt: T0 + 200_000 }),
        T0 + 200_000,
      );
      assert.notEqual(late, 'full');
      assert.equal(late !== 'full' && late.consumed, true, 'no new admission for a booked place');
      assert.equal(await b.getClaim('booked', 4, T0 + 300_001), null, 'forgotten once past');
    });

    it('refuses a new claim atomically when the outstanding ones fill maxActive', async () => {
      const [a, b] = await pair();
      await a.putRoomConfig('full', config({ maxActive: 2 }), T0);
      const capacity = { maxActive: 2, reserved: 0 };
      assert.notEqual(await a.recordClaim('full', claimOf(1), T0, capacity), 'full');
      const racing = await Promise.all([
        a.recordClaim('full', claimOf(2), T0, capacity),
        b.recordClaim('full', claimOf(3), T0, capacity),
      ]);
      assert.equal(racing.filter((result) => result === 'full').length, 1, 'one of two wins');
      assert.equal(
        await a.recordClaim('full', claimOf(5), T0, { maxActive: 3, reserved: 1 }),
        'full',
      );
      // A booked admission frees its slot.
      assert.equal(await b.bookPlace('full', 1, T0 + 600_000, T0 + 1), true);
      assert.notEqual(await a.recordClaim('full', claimOf(6), T0 + 2, capacity), 'full');
    });

    it('prunes claims after the hold window once their admission expired', async () => {
      const [a] = await pair();
      await a.putRoomConfig('prune', config({ holdSeconds: 60 }), T0);
      await a.recordClaim('prune', claimOf(1), T0);
      assert.equal((await a.getActivity('prune', T0 + 90_000)).claims.length, 1);
      assert.equal((await a.getActivity('prune', T0 + 121_000)).claims.length, 0);
      assert.equal(await a.getClaim('prune', 1, T0 + 121_000), null);
    });

    it('lets exactly one of many concurrent uses of a key win, across processes', async () => {
      const [a, b] = await pair();
      const attempts = Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? a : b).consumeJti('shared-jti', T0 + 120_000, T0),
      );
      const results = await Promise.all(attempts);
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await a.consumeJti('other-jti', T0 + 120_000, T0), true);
    });

    it('keeps a used key at least for its lifetime', async () => {
      const [a] = await pair();
      const now = Date.now();
      assert.equal(await a.consumeJti('lifetime', now + 120_000, now), true);
      const ttl = await server.client.pttl(a.keys.jti('lifetime'));
      assert.ok(ttl >= 120_000, `kept for ${ttl} ms`);
    });

    it('adds up counters of all processes', async () => {
      const [a, b] = await pair();
      await a.incrementCounter({ name: 'joins', room: 'x' });
      await a.incrementCounter({ name: 'joins', room: 'x' }, 2);
      await b.incrementCounter({ name: 'joins', room: 'x' });
      await b.incrementCounter({ name: 'errors', code: 'internal' });
      await b.flush();
      const samples = await a.readCounters();
      assert.deepEqual(
        samples.sort((x, y) => x.name.localeCompare(y.name)),
        [
          { name: 'errors', code: 'internal', value: 1 },
          { name: 'joins', room: 'x', value: 4 },
        ],
      );
    });

    it('shares one set of signing keys: the first writer wins, the others load it', async () => {
      const [a, b] = await pair();
      assert.deepEqual(await a.loadSigningKeys(), []);
      const signerA = await createTokenSigner({ issuer: 'http://q.test' });
      const signerB = await createTokenSigner({ issuer: 'http://q.test' });
      const [wonA, wonB] = await Promise.all([
        a.initSigningKeys(signerA.exportKeys()),
        b.initSigningKeys(signerB.exportKeys()),
      ]);
      assert.deepEqual(wonA, wonB, 'both end up with the same keys');
      assert.deepEqual(await b.loadSigningKeys(), wonA);
      await b.saveSigningKeys(signerB.exportKeys());
      assert.deepEqual(await a.loadSigningKeys(), signerB.exportKeys());
    });

    it('lets one process hold a lease, passes it on when it lapses or is released', async () => {
      const [a, b] = await pair();
      const leaseA = a.lease('ticker', { ttlMs: 300, owner: 'A' });
      const leaseB = b.lease('ticker', { ttlMs: 300, owner: 'B' });
      assert.equal(await leaseA.acquire(), true);
      assert.equal(await leaseB.acquire(), false);
      assert.equal(await leaseA.acquire(), true, 'the holder renews');
      await leaseB.release();
      assert.equal(
        await server.client.get(a.keys.lease('ticker')),
        'A',
        'only the holder releases',
      );
      await new Promise((wait) => setTimeout(wait, 400));
      assert.equal(await leaseB.acquire(), true, 'a lapsed lease is taken over');
      assert.equal(await leaseA.acquire(), false);
      await leaseB.release();
      assert.equal(await leaseA.acquire(), true, 'a released lease is free at once');
    });

    it('fails to open quickly with StoreUnavailableError when nothing listens', async () => {
      const started = Date.now();
      await assert.rejects(
        RedisStore.open({
          url: kind.unreachableUrl(await freePort()),
          cluster: kind.cluster,
          ...retrying(() => null),
        }),
        StoreUnavailableError,
      );
      assert.ok(Date.now() - started < 3500);
    });
  });

  describe(`RedisStore when ${kind.name} goes away`, () => {
    it('rejects operations at once with StoreUnavailableError while Redis is down', async () => {
      const server = await kind.start();
      const store = await RedisStore.open({
        url: server.url,
        cluster: server.cluster,
        keyPrefix: 'down:',
        ...retrying(() => 50),
      });
      try {
        await store.putRoomConfig('r', config(), T0);
        await server.stop();
        await new Promise((wait) => setTimeout(wait, 100));
        const started = Date.now();
        await assert.rejects(store.getRoom('r'), StoreUnavailableError);
        await assert.rejects(store.allocateSeq('r', T0 + 10_000), StoreUnavailableError);
        await assert.rejects(store.consumeJti('j', T0, T0), StoreUnavailableError);
        await store.incrementCounter({ name: 'joins', room: 'r' });
        await assert.rejects(store.flush(), StoreUnavailableError);
        assert.ok(Date.now() - started < 1500, 'no operation waits for a reconnect');
      } finally {
        await store.close().catch(() => {});
      }
    });
  });
}
