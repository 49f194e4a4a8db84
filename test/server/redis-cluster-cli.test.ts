/**
 * `queue-gate serve` on a real Redis Cluster, configured the way an operator would:
 * QUEUE_GATE_REDIS_CLUSTER=1 and QUEUE_GATE_REDIS_URL holding the seed nodes. Two processes
 * share the Cluster, as two processes share one redis-server in `redis-two-processes.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HELP, runCli } from '../../src/server/cli.js';
import { waitUntil } from '../e2e/helpers/wait-until.js';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { startTestRedisCluster } from './support/redis-cluster.js';
import type { TestRedisCluster } from './support/redis-cluster.js';

const ADMIN_TOKEN = 'cluster-cli-admin-token-0123';

/** Runs the CLI in-process with `env`, expecting it to refuse; returns what it printed. */
async function refusal(env: Record<string, string>): Promise<string> {
  const err: string[] = [];
  const io = { out: () => {}, err: (line: string) => err.push(line), onSignal: () => {} };
  assert.equal(await runCli(['serve'], { PORT: '0', ...env }, io), 2, JSON.stringify(env));
  return err.join('\n');
}

describe('queue-gate CLI Redis Cluster settings', () => {
  it('documents QUEUE_GATE_REDIS_CLUSTER in --help', () => {
    assert.match(
      HELP,
      /QUEUE_GATE_REDIS_CLUSTER 1: QUEUE_GATE_REDIS_URL names Redis Cluster nodes/,
    );
  });

  it('refuses a bad QUEUE_GATE_REDIS_CLUSTER, bad seeds, and a seed list without the flag', async () => {
    const seeds = 'redis://127.0.0.1:7000,redis://127.0.0.1:7001';
    assert.match(
      await refusal({ QUEUE_GATE_REDIS_CLUSTER: 'yes', QUEUE_GATE_REDIS_URL: seeds }),
      /QUEUE_GATE_REDIS_CLUSTER must be 1 .* or 0, got "yes"/,
    );
    assert.match(
      await refusal({ QUEUE_GATE_REDIS_CLUSTER: 'true', QUEUE_GATE_REDIS_URL: seeds }),
      /QUEUE_GATE_REDIS_CLUSTER must be/,
    );
    assert.match(
      await refusal({ QUEUE_GATE_REDIS_URL: seeds }),
      /set QUEUE_GATE_REDIS_CLUSTER=1/,
      'a comma list without the flag says which variable to set',
    );
    assert.match(
      await refusal({ QUEUE_GATE_REDIS_CLUSTER: '1' }),
      /QUEUE_GATE_REDIS_CLUSTER=1 needs QUEUE_GATE_REDIS_URL/,
    );
    for (const bad of [
      'redis://127.0.0.1:7000,http://127.0.0.1:7001',
      'redis://127.0.0.1:7000,',
      '127.0.0.1:7000',
      'redis://127.0.0.1:7000/2',
      'redis://:a@127.0.0.1:7000,redis://:b@127.0.0.1:7001',
    ]) {
      const message = await refusal({ QUEUE_GATE_REDIS_CLUSTER: '1', QUEUE_GATE_REDIS_URL: bad });
      assert.match(message, /QUEUE_GATE_REDIS_URL must be a comma-separated list/, bad);
      assert.doesNotMatch(message, /:a@|:b@/, 'passwords are not echoed');
    }
  });
});

describe('two server processes on a real Redis Cluster, configured through the environment', () => {
  let cluster: TestRedisCluster;
  let pair: ServerPair;
  let a: ChildServer;
  let b: ChildServer;

  before(async () => {
    cluster = await startTestRedisCluster();
    pair = await startServerPair(ADMIN_TOKEN, {
      QUEUE_GATE_REDIS_CLUSTER: '1',
      QUEUE_GATE_REDIS_URL: cluster.url,
    });
    ({ a, b } = pair);
  });
  after(async () => {
    await pair?.stop();
    await cluster?.stop();
  });

  const { admin, join, admit } = pairRequests(ADMIN_TOKEN);

  it('shares signing keys, and moves the line in rooms of several slots (listing crosses them)', async () => {
    const jwksA = await (await fetch(`${a.url}/.well-known/jwks.json`)).json();
    const jwksB = await (await fetch(`${b.url}/.well-known/jwks.json`)).json();
    assert.deepEqual(jwksA, jwksB, 'both started at once and loaded the same keys');
    const rooms = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const slots = await Promise.all(
      rooms.map((room) => cluster.client.call('CLUSTER', 'KEYSLOT', `queue-gate:room:{${room}}`)),
    );
    assert.ok(new Set(slots).size > 1, `rooms in several slots: ${slots.join(', ')}`);
    for (const room of rooms) {
      assert.equal((await admin(a, 'PUT', room, { admitPerMinute: 60 })).status, 201);
      await join(b, room);
    }
    // Admission control lists every room (one read per room, each in its own slot) and moves
    // each line; a cross-slot pipeline would fail the whole tick and move none.
    for (const room of rooms) {
      await waitUntil(
        async () => {
          const state = (await (await fetch(`${b.url}/rooms/${room}/state`)).json()) as {
            serving: number;
          };
          return state.serving > 0 ? true : undefined;
        },
        { what: `serving to move in ${room}` },
      );
    }
  });

  it('hands out unique places under concurrent joins at both', async () => {
    assert.equal((await admin(a, 'PUT', 'crowd', { admitPerMinute: 0 })).status, 201);
    const joins = Array.from({ length: 100 }, (_, i) => join(i % 2 === 0 ? a : b, 'crowd'));
    const seqs = (await Promise.all(joins)).map((visitor) => visitor.seq);
    assert.equal(new Set(seqs).size, seqs.length, 'no place is handed out twice');
  });

  it('joins at A, is admitted at B, and books exactly once when both book at once', async () => {
    assert.equal((await admin(b, 'PUT', 'book', { admitPerMinute: 0 })).status, 201);
    const visitor = await join(a, 'book');
    assert.equal((await admit(b, 'book', visitor.ticket)).json.error.code, 'not_your_turn');
    assert.equal((await admin(a, 'POST', 'book/advance', { by: visitor.seq })).status, 200);
    const admitted = await admit(b, 'book', visitor.ticket);
    assert.equal(admitted.status, 200, JSON.stringify(admitted.json));
    const admission = admitted.json.admission as string;
    const again = await admit(a, 'book', visitor.ticket);
    assert.equal(again.json.admission, admission, 'a retry at A gets the same admission');
    const book = (server: ChildServer) =>
      fetch(`${server.url}/demo/book?room=book`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admission}` },
      });
    const answers = await Promise.all([book(a), book(b), book(a), book(b)]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409, 409, 409]);
    const reclaim = await admit(a, 'book', visitor.ticket);
    assert.equal(reclaim.status, 409, 'a booked place cannot claim again');
  });

  it('lets exactly one process hold the admission-control lease on the Cluster', async () => {
    const holder = await cluster.client.get('queue-gate:lease:admission-control');
    const pid = Number(holder?.split(':')[0]);
    assert.ok([a.child.pid, b.child.pid].includes(pid), `held by one of them: ${holder}`);
  });
});
