/**
 * Places bound to a person outlive the process: the embedded store across a kill -9 and a
 * restart on the same data directory, and two processes sharing one Redis (a person's join at
 * one process and at the other, at once, makes one place).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { postJson } from './helpers/test-server.js';
import { createIdentitySite } from './support/identity-site.js';
import type { IdentitySite } from './support/identity-site.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'identity-restart-admin-token-0123';
const { admin, join, admit } = pairRequests(ADMIN_TOKEN);

/** Joins as `sub` (an assertion minted now), with `ticket` when given. */
async function joinAs(server: ChildServer, site: IdentitySite, sub: string, ticket?: string) {
  const body = { identity: await site.assert({ sub }), ...(ticket ? { ticket } : {}) };
  const answer = await postJson(`${server.url}/rooms/people/join`, body);
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  return answer.json as { seq: number; ticket: string };
}

describe('identity bindings across a kill -9 of the embedded store', () => {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  after(async () => {
    for (const child of children) child.child.kill('SIGKILL');
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const start = async (dataDir: string) => {
    const server = await startChildServer({
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_PUBLIC_URL: 'http://queue.test',
      QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    children.push(server);
    return server;
  };

  it('gives the person the same place after the restart, and keeps released places released', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-identity-'));
    dirs.push(dataDir);
    const site = await createIdentitySite(Date.now);
    const first = await start(dataDir);
    const put = await admin(first, 'PUT', 'people', { admitPerMinute: 0, identity: site.identity });
    assert.equal(put.status, 201);
    const alice = await joinAs(first, site, 'alice');
    const spare = await join(first, 'people');
    // Alice brings the later anonymous place along: it is released for her earlier one.
    assert.equal((await joinAs(first, site, 'alice', spare.ticket)).seq, alice.seq);

    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const second = await start(dataDir);

    assert.equal((await joinAs(second, site, 'alice')).seq, alice.seq, 'a new device, same place');
    const bob = await joinAs(second, site, 'bob');
    assert.ok(bob.seq > spare.seq, 'another person, a new place after every earlier one');
    const released = await postJson(`${second.url}/rooms/people/join`, { ticket: spare.ticket });
    assert.equal(released.status, 410);
    assert.equal(released.json.error.code, 'place_released');
  });
});

describe('identity bindings on two processes sharing one Redis', () => {
  let redis: TestRedis;
  let pair: ServerPair;
  let site: IdentitySite;
  before(async () => {
    redis = await startTestRedis();
    pair = await startServerPair(ADMIN_TOKEN, { QUEUE_GATE_REDIS_URL: redis.url });
    site = await createIdentitySite(Date.now);
  });
  after(async () => {
    await pair?.stop();
    await redis?.stop();
  });

  it("makes one place of one person's concurrent joins at both processes", async () => {
    const { a, b } = pair;
    const put = await admin(a, 'PUT', 'people', { admitPerMinute: 0, identity: site.identity });
    assert.equal(put.status, 201);
    const joins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => joinAs(i % 2 ? a : b, site, 'carol')),
    );
    assert.equal(new Set(joins.map((answer) => answer.seq)).size, 1, 'one place for carol');
    const dave = await joinAs(b, site, 'dave');
    assert.notEqual(dave.seq, joins[0]!.seq);
    // The place admitted at one process is the person's at the other.
    await admin(b, 'POST', 'people/advance', { by: Math.max(dave.seq, joins[0]!.seq) });
    const fromA = await admit(a, 'people', joins[0]!.ticket);
    const fromB = await admit(b, 'people', (await joinAs(b, site, 'carol')).ticket);
    assert.equal(fromA.status, 200);
    assert.equal(fromB.json.admission, fromA.json.admission);
  });
});
