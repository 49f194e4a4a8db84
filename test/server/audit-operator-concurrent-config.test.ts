/**
 * Two operators (or an operator and a script) change different settings of one room at the
 * same moment through two processes sharing a Redis. `PUT /admin/rooms/:room` changes only the
 * fields it names ("every field optional"), so both changes must stay: neither may put back
 * the other's field as it was before.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'operator-concurrent-config-0123';

/** Four changes of four different fields, sent at once through `put`. */
const FOUR_CHANGES: readonly Record<string, unknown>[] = [
  { maxActive: 5 },
  { holdSeconds: 900 },
  { pollAfterMs: 3000 },
  { allowedOrigins: ['https://shop.example'] },
];

/** The rooms whose configuration lost one of {@link FOUR_CHANGES}, with what they kept. */
function lostChanges(configs: ReadonlyMap<string, Record<string, unknown>>): string[] {
  return [...configs].flatMap(([room, config]) =>
    config.maxActive === 5 &&
    config.holdSeconds === 900 &&
    config.pollAfterMs === 3000 &&
    JSON.stringify(config.allowedOrigins) === '["https://shop.example"]' &&
    config.admitPerMinute === 0
      ? []
      : [`${room}: ${JSON.stringify(config)}`],
  );
}

describe('concurrent PUT /admin/rooms/:room of different fields at two processes', () => {
  let redis: TestRedis;
  let pair: ServerPair;

  before(async () => {
    redis = await startTestRedis();
    pair = await startServerPair(ADMIN_TOKEN, { QUEUE_GATE_REDIS_URL: redis.url });
  });
  after(async () => {
    await pair?.stop();
    await redis?.stop();
  });

  it('keeps every change, whichever process answers first', async () => {
    const { admin } = pairRequests(ADMIN_TOKEN);
    const rooms = Array.from({ length: 30 }, (_, index) => `settings-${index}`);
    for (const room of rooms) {
      assert.equal((await admin(pair.a, 'PUT', room, { admitPerMinute: 0 })).status, 201);
    }
    const answers = await Promise.all(
      rooms.flatMap((room) =>
        FOUR_CHANGES.map((change, index) =>
          admin(index % 2 === 0 ? pair.a : pair.b, 'PUT', room, change),
        ),
      ),
    );
    assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([200]));
    const configs = new Map<string, Record<string, unknown>>();
    for (const room of rooms) {
      const stats = (await (await admin(pair.b, 'GET', room)).json()) as {
        config: Record<string, unknown>;
      };
      configs.set(room, stats.config);
    }
    assert.deepEqual(lostChanges(configs), [], 'every room keeps every change');
  });
});

describe('concurrent PUT /admin/rooms/:room of different fields at one server on its data dir', () => {
  it('keeps every change', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-concurrent-config-'));
    const server = await startChildServer({
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    try {
      const { admin } = pairRequests(ADMIN_TOKEN);
      const rooms = Array.from({ length: 30 }, (_, index) => `embedded-${index}`);
      for (const room of rooms) {
        assert.equal((await admin(server, 'PUT', room, { admitPerMinute: 0 })).status, 201);
      }
      await Promise.all(
        rooms.flatMap((room) => FOUR_CHANGES.map((change) => admin(server, 'PUT', room, change))),
      );
      const configs = new Map<string, Record<string, unknown>>();
      for (const room of rooms) {
        const stats = (await (await admin(server, 'GET', room)).json()) as {
          config: Record<string, unknown>;
        };
        configs.set(room, stats.config);
      }
      assert.deepEqual(lostChanges(configs), [], 'every room keeps every change');
    } finally {
      server.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
