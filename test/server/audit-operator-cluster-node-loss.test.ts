/**
 * One master of a Redis Cluster is killed (`kill -9`) while two `queue-gate serve` processes
 * take a burst of joins, then started again. docs/scaling.md promises that requests meanwhile
 * answer `503` with `Retry-After` (clients back off and keep their tickets) and that the
 * processes recover by themselves; a `500` is a server error visitors are told nothing about.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { startRestartableRedisCluster } from './support/restartable-redis-cluster.js';
import type { RestartableRedisCluster } from './support/restartable-redis-cluster.js';

const ADMIN_TOKEN = 'operator-node-loss-token-0123';
const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** One join's outcome: its status, error code, Retry-After and seq. */
interface JoinOutcome {
  status: number;
  code?: string;
  retryAfter: string | null;
  seq?: number;
}

async function tryJoin(server: ChildServer, room: string): Promise<JoinOutcome> {
  const response = await fetch(`${server.url}/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = (await response.json()) as { seq?: number; error?: { code: string } };
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    ...(body.error ? { code: body.error.code } : {}),
    ...(body.seq !== undefined ? { seq: body.seq } : {}),
  };
}

describe('a Redis Cluster master killed and restarted under two queue processes', () => {
  let cluster: RestartableRedisCluster;
  let pair: ServerPair;

  before(async () => {
    cluster = await startRestartableRedisCluster();
    pair = await startServerPair(ADMIN_TOKEN, {
      QUEUE_GATE_REDIS_CLUSTER: '1',
      QUEUE_GATE_REDIS_URL: cluster.url,
    });
  });
  after(async () => {
    await pair?.stop();
    await cluster?.stop();
  });

  it('answers only 503 with Retry-After while the master is gone, and recovers by itself', async () => {
    const { admin } = pairRequests(ADMIN_TOKEN);
    const room = 'lost-node';
    assert.equal((await admin(pair.a, 'PUT', room, { admitPerMinute: 0 })).status, 201);
    const victim = cluster.ownerOf(`queue-gate:room:{${room}}`);

    const outcomes: JoinOutcome[] = [];
    let running = true;
    // Eight visitors at each process, joining one after another for the whole run.
    const visitors = Array.from({ length: 16 }, async (_, index) => {
      const server = index % 2 === 0 ? pair.a : pair.b;
      while (running) {
        outcomes.push(await tryJoin(server, room));
        await sleep(10);
      }
    });
    await sleep(500);
    await cluster.kill(victim);
    await sleep(4_000);
    await cluster.restart(victim);
    // Recovery: both processes hand out places again without being restarted.
    const deadline = Date.now() + 15_000;
    for (const server of [pair.a, pair.b]) {
      while ((await tryJoin(server, room)).status !== 200) {
        assert.ok(Date.now() < deadline, 'joins work again within 15 s of the restart');
        await sleep(100);
      }
    }
    running = false;
    await Promise.all(visitors);

    const refused = outcomes.filter((outcome) => outcome.status !== 200);
    assert.ok(refused.length > 0, 'the outage was seen by some joins');
    const wrong = refused.filter(
      (outcome) =>
        outcome.status !== 503 || outcome.code !== 'overloaded' || outcome.retryAfter === null,
    );
    assert.deepEqual(
      wrong.slice(0, 5),
      [],
      `${wrong.length} of ${refused.length} refusals were not 503 overloaded with Retry-After`,
    );
    const seqs = outcomes.flatMap((outcome) => (outcome.seq === undefined ? [] : [outcome.seq]));
    assert.equal(new Set(seqs).size, seqs.length, 'no place was handed out twice');
  });
});
