import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { waitUntil } from '../e2e/helpers/wait-until.js';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { postJson } from './helpers/test-server.js';
import type { LooseJson } from './helpers/test-server.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'rotation-admin-token-0123456';

const jwksOf = async (server: ChildServer): Promise<LooseJson> =>
  (await fetch(`${server.url}/.well-known/jwks.json`)).json();
const rotate = (server: ChildServer) =>
  postJson(`${server.url}/admin/keys/rotate`, undefined, {
    Authorization: `Bearer ${ADMIN_TOKEN}`,
  });

describe('key rotation across two processes sharing a redis-server', () => {
  let redis: TestRedis;
  let pair: ServerPair;
  const { admin, join } = pairRequests(ADMIN_TOKEN);

  before(async () => {
    redis = await startTestRedis();
    pair = await startServerPair(ADMIN_TOKEN, { QUEUE_GATE_REDIS_URL: redis.url });
  });
  after(async () => {
    await pair?.stop();
    await redis?.stop();
  });

  it('a rotation at one process reaches the other; tickets from before keep their place at both', async () => {
    const { a, b } = pair;
    assert.equal((await admin(a, 'PUT', 'rot', { admitPerMinute: 0 })).status, 201);
    const before = await jwksOf(a);
    assert.deepEqual(await jwksOf(b), before);
    const visitor = await join(b, 'rot');

    const rotated = await rotate(a);
    assert.equal(rotated.status, 200);
    assert.equal(rotated.json.current, before.next);
    // The other process adopts the stored keys at its next sync (every few seconds).
    await waitUntil(async () => ((await jwksOf(b)).current === before.next ? true : undefined), {
      what: 'the other process to adopt the rotation',
    });
    assert.deepEqual(await jwksOf(b), await jwksOf(a));
    assert.equal(decodeProtectedHeader((await join(b, 'rot')).ticket).kid, before.next);
    assert.equal((await join(a, 'rot', visitor.ticket)).seq, visitor.seq);
    assert.equal((await join(b, 'rot', visitor.ticket)).seq, visitor.seq);
  });

  it('a ticket signed with a key the other process has not synced yet keeps its place there', async () => {
    const { a, b } = pair;
    const before = await jwksOf(b);
    // Two rotations: the first makes current a key every process already publishes as the next;
    // the second, one that only this process has seen.
    assert.equal((await rotate(a)).status, 200);
    const rotated = await rotate(a);
    assert.equal(rotated.status, 200);
    // Straight away, before the other process's next sync (every few seconds) can adopt the key.
    const visitor = await join(a, 'rot');
    assert.equal(decodeProtectedHeader(visitor.ticket).kid, rotated.json.current);
    assert.equal(
      before.keys.some((key: LooseJson) => key.kid === rotated.json.current),
      false,
    );
    const again = await join(b, 'rot', visitor.ticket);
    assert.equal(again.seq, visitor.seq, 'the other process looked the new key up');
  });

  it('two rotations asked of both at once are two rotations, not one undoing the other', async () => {
    const { a, b } = pair;
    const before = await jwksOf(a);
    const answers = await Promise.all([rotate(a), rotate(b)]);
    for (const answer of answers) assert.equal(answer.status, 200);
    const currents = answers.map((answer) => answer.json.current).sort();
    assert.equal(currents.includes(before.next), true, 'the first switched to the published next');
    assert.notEqual(currents[0], currents[1], 'the second rotated again from there');
    await waitUntil(
      async () => {
        const [ka, kb] = [await jwksOf(a), await jwksOf(b)];
        return JSON.stringify(ka) === JSON.stringify(kb) && ka.current !== before.next
          ? true
          : undefined;
      },
      { what: 'both processes to publish the same keys' },
    );
    const after = await jwksOf(a);
    const kids = after.keys.map((key: LooseJson) => key.kid);
    assert.ok(kids.includes(before.current) && kids.includes(before.next), 'retired keys stay');
  });
});
