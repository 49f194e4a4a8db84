/**
 * Redis crashes and comes back (with its append-only file, as a production Redis should run):
 * meanwhile the server answers clear `503`s with `Retry-After`; afterwards it recovers by
 * itself, without a restart, and nothing it answered before is undone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, describe, it } from 'node:test';
import { startQueueServer } from '../../src/server/node-server.js';
import type { RunningQueueServer } from '../../src/server/node-server.js';
import { postJson } from './helpers/test-server.js';
import { freePort } from './support/redis-server.js';

const ADMIN_TOKEN = 'redis-restart-admin-token-0123';
const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** A redis-server with an fsync-always append-only file in `dir`, on a fixed port. */
async function startDurableRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    process.env.REDIS_SERVER_BIN ?? 'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((answer) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        answer(true);
      });
      probe.once('error', () => answer(false));
    });
    if (up) return child;
    if (Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`);
    await sleep(50);
  }
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGKILL');
  await exited;
}

describe('the server when Redis crashes and comes back', () => {
  let dir: string;
  let redis: ChildProcess | undefined;
  let server: RunningQueueServer | undefined;
  after(async () => {
    await server?.close().catch(() => {});
    if (redis) await killHard(redis);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After during the outage and recovers without a restart', async () => {
    dir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-redis-restart-'));
    const port = await freePort();
    redis = await startDurableRedis(port, dir);
    server = await startQueueServer({
      port: 0,
      dataDir: null,
      adminToken: ADMIN_TOKEN,
      staticRoot: null,
      tickIntervalMs: 0,
      redisUrl: `redis://127.0.0.1:${port}`,
      rooms: { demo: { admitPerMinute: 0 } },
      logError: () => {},
    });
    const url = server.url;
    const before = [];
    for (let i = 0; i < 5; i += 1) before.push((await postJson(`${url}/rooms/demo/join`, {})).json);
    const advanced = await fetch(`${url}/admin/rooms/demo/advance`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ by: 2 }),
    });
    assert.equal(((await advanced.json()) as { serving: number }).serving, 2);

    await killHard(redis);
    const outage = await Promise.all([
      postJson(`${url}/rooms/demo/join`, {}),
      postJson(`${url}/rooms/demo/join`, { ticket: before[0].ticket }),
      postJson(`${url}/rooms/demo/admit`, undefined, {
        Authorization: `Bearer ${before[0].ticket}`,
      }),
    ]);
    for (const answer of outage) {
      assert.equal(answer.status, 503);
      assert.equal(answer.json.error.code, 'overloaded');
      assert.match(answer.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    }

    redis = await startDurableRedis(port, dir);
    // The same server process, never restarted: it must find Redis again on its own.
    const deadline = Date.now() + 20_000;
    let recovered = await postJson(`${url}/rooms/demo/join`, {});
    while (recovered.status !== 200 && Date.now() < deadline) {
      assert.equal(recovered.status, 503, 'until it is back, only 503s');
      await sleep(200);
      recovered = await postJson(`${url}/rooms/demo/join`, {});
    }
    assert.equal(recovered.status, 200, 'recovered without a restart of the server');
    const seen = new Set(before.map((visitor) => visitor.seq as number));
    assert.ok(!seen.has(recovered.json.seq), 'no seq handed out twice across the outage');
    assert.ok(recovered.json.seq > Math.max(...seen));
    assert.ok(recovered.json.serving >= 2, 'serving did not go back');

    const rejoined = await postJson(`${url}/rooms/demo/join`, { ticket: before[3].ticket });
    assert.equal(rejoined.json.seq, before[3].seq, 'a ticket keeps its place across the outage');
    const admitted = await postJson(`${url}/rooms/demo/admit`, undefined, {
      Authorization: `Bearer ${before[1].ticket}`,
    });
    assert.equal(admitted.status, 200, 'a visitor whose turn came is admitted after recovery');
  });
});
