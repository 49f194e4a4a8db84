import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startQueueServer } from '../../src/server/node-server.js';
import { postJson } from './helpers/test-server.js';
import { startTestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'outage-admin-token-0123456789';

describe('the server on the Redis store when Redis goes down', () => {
  it('answers 503 overloaded with Retry-After at once, and still shuts down', async () => {
    const redis = await startTestRedis();
    const server = await startQueueServer({
      port: 0,
      dataDir: null,
      adminToken: ADMIN_TOKEN,
      staticRoot: null,
      redisUrl: redis.url,
      redisKeyPrefix: 'outage:',
      rooms: { demo: { admitPerMinute: 0 } },
      logError: () => {},
    });
    try {
      const joined = await postJson(`${server.url}/rooms/demo/join`, {});
      assert.equal(joined.status, 200);
      assert.equal(joined.json.seq, 1);

      await redis.stop();
      const started = Date.now();
      const answers = await Promise.all([
        fetch(`${server.url}/rooms/demo/state`),
        fetch(`${server.url}/rooms/demo/join`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        }),
        fetch(`${server.url}/rooms/demo/admit`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${joined.json.ticket as string}` },
        }),
        fetch(`${server.url}/healthz`),
      ]);
      const elapsed = Date.now() - started;
      for (const answer of answers) {
        assert.equal(answer.status, 503, `${answer.url} answers 503`);
        assert.match(answer.headers.get('Retry-After') ?? '', /^\d+$/);
        const body = (await answer.json()) as { error: { code: string } };
        assert.equal(body.error.code, 'overloaded');
      }
      assert.ok(elapsed < 2000, `answered within ${elapsed} ms, not after a hang`);
    } finally {
      await server.close();
    }
  });
});
