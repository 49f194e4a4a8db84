/**
 * An operator's QUEUE_GATE_REDIS_URL, checked from outside: a URL naming a database Redis does
 * not have, or a malformed one, must stop the start with a message naming the variable, never
 * start on another database (where another deployment's queue and signing keys may live).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/server/cli.js';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { startTestRedisCluster } from './support/redis-cluster.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'operator-redis-url-token-0123';

/** Runs the CLI in-process with `env`, expecting it to refuse; returns what it printed. */
async function refusal(env: Record<string, string>): Promise<string> {
  const err: string[] = [];
  const io = { out: () => {}, err: (line: string) => err.push(line), onSignal: () => {} };
  assert.equal(await runCli(['serve'], { PORT: '0', ...env }, io), 2, JSON.stringify(env));
  return err.join('\n');
}

describe('QUEUE_GATE_REDIS_URL for a single Redis', () => {
  let redis: TestRedis;
  let dataDir: string;
  const children: ChildServer[] = [];

  before(async () => {
    redis = await startTestRedis();
    dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-redis-url-'));
  });
  after(async () => {
    for (const server of children) server.child.kill('SIGKILL');
    await redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async (url: string) => {
    const server = await startChildServer({
      QUEUE_GATE_REDIS_URL: url,
      QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
      QUEUE_GATE_DATA_DIR: dataDir,
    });
    children.push(server);
    return server;
  };

  it('refuses a URL that is not redis:// or rediss://, or whose database is not a number', async () => {
    for (const bad of [
      'redis://:hunter2-secret@127.0.0.1:6379/abc',
      'redis://127.0.0.1:6379/-1',
      'redis://127.0.0.1:6379/1/2',
      'http://127.0.0.1:6379',
      'redis://',
    ]) {
      const message = await refusal({ QUEUE_GATE_REDIS_URL: bad });
      assert.match(message, /QUEUE_GATE_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/, bad);
      assert.doesNotMatch(message, /hunter2/, 'the password is not echoed');
    }
  });

  it('refuses to start on a database Redis does not have, and writes nothing to database 0', async () => {
    // A stock redis-server has databases 0 to 15.
    await assert.rejects(start(`${redis.url}/99`), (error: Error) => {
      assert.match(error.message, /Cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+\/99/);
      assert.match(error.message, /DB index is out of range/, 'says why');
      return true;
    });
    await redis.client.select(0);
    assert.equal(await redis.client.dbsize(), 0, 'nothing was written to database 0 instead');
  });

  it('keeps the queue in the database the URL names', async () => {
    await redis.client.flushall();
    const server = await start(`${redis.url}/3`);
    const joined = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(joined.status, 200);
    await redis.client.select(0);
    assert.equal(await redis.client.dbsize(), 0, 'database 0 stays empty');
    await redis.client.select(3);
    assert.ok((await redis.client.exists('queue-gate:room:{demo}')) === 1, 'the room is in db 3');
  });

  it('refuses a node of a Redis Cluster given without QUEUE_GATE_REDIS_CLUSTER=1, saying to set it', async () => {
    const cluster = await startTestRedisCluster();
    try {
      // Every room in the slots of the other nodes would fail; so would the signing keys.
      await assert.rejects(start(cluster.url.split(',')[0]!), /QUEUE_GATE_REDIS_CLUSTER=1/);
    } finally {
      await cluster.stop();
    }
  });
});
