/**
 * The Redis-only tests of {@link RedisStore} (seq blocks across processes, key lifetimes, lease
 * expiry, outages), run against each kind of Redis (a single redis-server, a three-master
 * Cluster) by `redis-store.test.ts`. What every store must do is proven for both kinds by the
 * store contract (`store-contract.test.ts`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Cluster, Redis } from 'ioredis';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import type { RedisStoreOptions } from '../../src/server/store/redis-store.js';
import { StoreUnavailableError } from '../../src/server/store/store-errors.js';
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

    it('keeps a used key at least for its lifetime', async () => {
      const [a] = await pair();
      const now = Date.now();
      assert.equal(await a.consumeJti('lifetime', now + 120_000, now), true);
      const ttl = await server.client.pttl(a.keys.jti('lifetime'));
      assert.ok(ttl >= 120_000, `kept for ${ttl} ms`);
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
