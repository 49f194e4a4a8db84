/**
 * Redis answering with an error instead of going away, as an operator's Redis does: full
 * (`maxmemory` reached under the `noeviction` policy docs/scaling.md asks for), or run with an
 * ACL user that lacks a command. A full Redis is an outage to wait out (`503` with
 * `Retry-After`, as for an unreachable one, and joins work again once it has room); and
 * whatever the server logs about an error it did not expect holds no ticket or admission
 * (docs/security.md: "No secret in an answer or a log line").
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests } from './helpers/server-pair.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'operator-redis-errors-token-0123';
const USER_PASSWORD = 'queue-user-password-0123';

const newJoin = (server: ChildServer, room: string) =>
  fetch(`${server.url}/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });

describe('a Redis that answers with errors', () => {
  let redis: TestRedis;
  let dataDir: string;
  let server: ChildServer;
  const { admin } = pairRequests(ADMIN_TOKEN);

  before(async () => {
    redis = await startTestRedis();
    // The server's own ACL user, so that a test can take a command away from it alone.
    await redis.client.call(
      'ACL',
      'SETUSER',
      'queue',
      'on',
      `>${USER_PASSWORD}`,
      '~*',
      '&*',
      '+@all',
    );
    dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-redis-errors-'));
    server = await startChildServer({
      QUEUE_GATE_REDIS_URL: `redis://queue:${USER_PASSWORD}@127.0.0.1:${redis.port}`,
      QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
      QUEUE_GATE_DATA_DIR: dataDir,
    });
  });
  after(async () => {
    server?.child.kill('SIGKILL');
    await redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while Redis is full, and joins again once it has room', async () => {
    assert.equal((await admin(server, 'PUT', 'full', { admitPerMinute: 0 })).status, 201);
    await redis.client.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.client.config('SET', 'maxmemory', '1');
    try {
      const refused = await newJoin(server, 'full');
      assert.equal(refused.status, 503);
      assert.equal(
        ((await refused.json()) as { error: { code: string } }).error.code,
        'overloaded',
      );
      assert.ok(refused.headers.get('retry-after'), 'says when to try again');
    } finally {
      await redis.client.config('SET', 'maxmemory', '0');
    }
    assert.equal((await newJoin(server, 'full')).status, 200, 'a place once Redis has room');
  });

  it('logs no admission when recording a claim fails in a way it did not expect', async () => {
    assert.equal((await admin(server, 'PUT', 'acl', { admitPerMinute: 0 })).status, 201);
    const { ticket } = (await (await newJoin(server, 'acl')).json()) as { ticket: string };
    assert.equal((await admin(server, 'POST', 'acl/advance', { by: 1 })).status, 200);
    // Recording a claim prunes expired ones first; without that command its script fails.
    await redis.client.call('ACL', 'SETUSER', 'queue', '-zremrangebyscore');
    try {
      const claim = await fetch(`${server.url}/rooms/acl/admit`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ticket}` },
      });
      assert.equal(claim.status, 500, 'a permission Redis refuses is a fault of the setup');
      await new Promise((wait) => setTimeout(wait, 200));
      assert.match(server.output(), /unexpected error/, 'the failure is logged');
      // Tickets and admissions are JWTs: base64url of '{"alg"', which starts "eyJ".
      assert.doesNotMatch(server.output(), /eyJ[\w-]+\.eyJ/, 'no token in the log');
    } finally {
      await redis.client.call('ACL', 'SETUSER', 'queue', '+@all');
    }
  });
});
