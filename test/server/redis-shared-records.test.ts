/**
 * What processes sharing one real redis-server share beyond the queue: the per-client join
 * limit (the (limit+1)th new place from one client is refused whichever process it reaches)
 * and the fairness series (one series, sampled once per interval between them, answered
 * alike by every process).
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import type { Context } from 'hono';
import { createQueueApp } from '../../src/server/app.js';
import type { QueueAppEnv } from '../../src/server/app-env.js';
import { createJoinRateLimit } from '../../src/server/join-rate-limit.js';
import { createQueueService } from '../../src/server/queue-service.js';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import { createTokenSigner } from '../../src/server/token-signer.js';
import { waitUntil } from '../e2e/helpers/wait-until.js';
import type { ChildServer } from './helpers/child-server.js';
import { PAIR_PUBLIC_URL, pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { postJson } from './helpers/test-server.js';
import type { LooseJson } from './helpers/test-server.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'shared-records-admin-token-0123';
const PUBLIC_URL = PAIR_PUBLIC_URL;
const SAMPLE_MS = 15_000;
const CLI_LIMIT = 3;

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** The stored part of a fairness record: without the live point and snapshot of the answer. */
function storedPart(record: LooseJson) {
  return {
    series: (record.series as Array<{ at: number }>).filter((p) => p.at !== record.updatedAt),
    snapshots: (record.snapshots as string[]).slice(0, -1),
    admissionsPerMinute: record.admissionsPerMinute,
  };
}

describe('records shared by processes on one real redis-server', () => {
  let redis: TestRedis;
  let pair: ServerPair;
  let a: ChildServer;
  let b: ChildServer;

  before(async () => {
    redis = await startTestRedis();
    pair = await startServerPair(ADMIN_TOKEN, {
      QUEUE_GATE_REDIS_URL: redis.url,
      QUEUE_GATE_JOIN_LIMIT_PER_MINUTE: String(CLI_LIMIT),
      // Each test below names its own client in X-Forwarded-For, as one proxy would.
      QUEUE_GATE_TRUST_PROXY: '1',
    });
    ({ a, b } = pair);
  });
  after(async () => {
    await pair?.stop();
    await redis?.stop();
  });

  const { admin, join } = pairRequests(ADMIN_TOKEN);
  const fairness = async (server: ChildServer, room: string) => {
    const response = await fetch(`${server.url}/rooms/${room}/fairness`);
    assert.equal(response.status, 200);
    return (await response.json()) as LooseJson;
  };

  it('answers one fairness series at both CLI processes, sampled once per interval between them', async () => {
    assert.equal((await admin(a, 'PUT', 'fair', { admitPerMinute: 0 })).status, 201);
    for (let i = 0; i < 3; i += 1) await join(i % 2 ? b : a, 'fair');
    // Both tickers sample the room every second; each answer is cached up to 5 s per process.
    const [fromA, fromB] = await waitUntil(
      async () => {
        const both = [storedPart(await fairness(a, 'fair')), storedPart(await fairness(b, 'fair'))];
        if (both[0]!.series.length === 0) return undefined;
        return JSON.stringify(both[0]) === JSON.stringify(both[1]) ? both : undefined;
      },
      {
        what: 'both processes to answer the same stored series',
        timeoutMs: 20_000,
        intervalMs: 200,
      },
    );
    assert.deepEqual(fromA, fromB);
    assert.equal(fromA!.snapshots.length, fromA!.series.length, 'one signed snapshot per sample');
    const ats = fromA!.series.map((point) => point.at);
    for (let i = 1; i < ats.length; i += 1) {
      assert.ok(
        ats[i]! - ats[i - 1]! >= SAMPLE_MS,
        `samples ${ats[i - 1]} and ${ats[i]} too close`,
      );
    }
    const points = await redis.client.lrange('queue-gate:room:{fair}:fairness:points', 0, -1);
    assert.equal(points.length, ats.length, 'the series is the one kept in Redis');
  });

  it('shares QUEUE_GATE_JOIN_LIMIT_PER_MINUTE between the CLI processes', async () => {
    assert.equal((await admin(a, 'PUT', 'limited', { admitPerMinute: 0 })).status, 201);
    const joinAt = (server: ChildServer) =>
      postJson(`${server.url}/rooms/limited/join`, {}, { 'X-Forwarded-For': '203.0.113.7' });
    // All in one one-minute window: close to its end, wait for the next one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await sleep(60_000 - intoMinute + 100);
    const statuses = [];
    for (let i = 0; i <= CLI_LIMIT; i += 1) statuses.push((await joinAt(i % 2 ? b : a)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429], 'the limit counts joins at both processes');
  });

  describe('the join limit over HTTP, two servers each with its own Redis connection', () => {
    const LIMIT = 3;
    const servers: Array<{ url: string; close: () => Promise<void> }> = [];

    before(async () => {
      for (let i = 0; i < 2; i += 1) {
        const store = await RedisStore.open({ url: redis.url, keyPrefix: 'limits:' });
        const signer = await createTokenSigner({
          issuer: PUBLIC_URL,
          keys: await store.initSigningKeys(
            (await createTokenSigner({ issuer: PUBLIC_URL })).exportKeys(),
          ),
        });
        const service = createQueueService({ store, signer, publicOrigin: PUBLIC_URL });
        if (!(await store.getRoom('demo'))) {
          await store.putRoomConfig(
            'demo',
            mergeRoomConfig(null, { admitPerMinute: 0 }),
            Date.now(),
          );
        }
        const app = createQueueApp({
          service,
          adminToken: ADMIN_TOKEN,
          logError: () => {},
          joinRateLimit: createJoinRateLimit({ perMinute: LIMIT, store }),
          clientKey: (c: Context<QueueAppEnv>) => c.req.header('X-Client') ?? null,
        });
        const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
        await new Promise<void>((ready) => server.once('listening', () => ready()));
        const { port } = server.address() as AddressInfo;
        servers.push({
          url: `http://127.0.0.1:${port}`,
          close: async () => {
            await new Promise((done) => server.close(done));
            await store.close();
          },
        });
      }
    });
    after(async () => {
      for (const server of servers) await server.close();
    });

    it('refuses the (limit+1)th new place from one client with 429, whichever server it reaches', async () => {
      const joinAs = (i: number, client: string, body: unknown = {}) =>
        postJson(`${servers[i % 2]!.url}/rooms/demo/join`, body, { 'X-Client': client });
      // All in one one-minute window: close to its end, wait for the next one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await sleep(60_000 - intoMinute + 100);
      const first = await joinAs(0, '198.51.100.9');
      assert.equal(first.status, 200);
      for (let i = 1; i < LIMIT; i += 1)
        assert.equal((await joinAs(i, '198.51.100.9')).status, 200);
      const refused = await joinAs(LIMIT, '198.51.100.9');
      assert.equal(refused.status, 429, JSON.stringify(refused.json));
      assert.equal(refused.json.error.code, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await joinAs(LIMIT + 1, '198.51.100.9')).status, 429, 'at the other one too');
      assert.equal(
        (await joinAs(1, '198.51.100.10')).status,
        200,
        'another client is not affected',
      );
      const rejoin = await joinAs(1, '198.51.100.9', { ticket: first.json.ticket });
      assert.equal(rejoin.status, 200, 'rejoining with a ticket is never limited');
    });
  });
});
