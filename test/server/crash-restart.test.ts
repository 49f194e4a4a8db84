import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { postJson } from './helpers/test-server.js';

const PUBLIC_URL = 'http://queue.test';

describe('the CLI server after kill -9 and a restart on the same data dir', () => {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  after(async () => {
    for (const child of children) child.child.kill('SIGKILL');
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const start = async (dataDir: string, extra: Record<string, string> = {}) => {
    const server = await startChildServer({
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_PUBLIC_URL: PUBLIC_URL,
      ...extra,
    });
    children.push(server);
    return server;
  };

  it('keeps places, serving, consumed admissions, claims, keys and the admin token', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-crash-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const token = /admin token \(generated, keep it secret\): (\S+)/.exec(first.output())?.[1];
    assert.ok(token, 'a generated admin token is printed on the first start');
    const admin = (server: ChildServer, method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/admin/rooms/${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    assert.equal((await admin(first, 'PUT', 'crash', { admitPerMinute: 0 })).status, 201);
    const visitors = [];
    for (let i = 0; i < 5; i += 1)
      visitors.push((await postJson(`${first.url}/rooms/crash/join`, {})).json);
    assert.deepEqual(
      visitors.map((v) => v.seq),
      [1, 2, 3, 4, 5],
    );
    await admin(first, 'POST', 'crash/advance', { by: 3 });
    const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
    const used = (
      await postJson(`${first.url}/rooms/crash/admit`, undefined, bearer(visitors[0].ticket))
    ).json;
    const unused = (
      await postJson(`${first.url}/rooms/crash/admit`, undefined, bearer(visitors[1].ticket))
    ).json;
    const booked = await fetch(`${first.url}/demo/book?room=crash`, {
      method: 'POST',
      headers: bearer(used.admission),
    });
    assert.equal(booked.status, 200);
    const jwksBefore = await (await fetch(`${first.url}/.well-known/jwks.json`)).json();

    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const second = await start(dataDir);
    assert.ok(!second.output().includes(token), 'the kept admin token is not printed again');
    assert.ok(
      second.output().includes(`admin token:   in ${joinPath(dataDir, 'admin-token')}`),
      'it says where the token is kept',
    );
    const stats = await (await admin(second, 'GET', 'crash')).json();
    assert.equal(stats.serving, 3, 'serving is not reset');

    const rejoined = (
      await postJson(`${second.url}/rooms/crash/join`, { ticket: visitors[3].ticket })
    ).json;
    assert.equal(rejoined.seq, 4, 'a ticket keeps its place');
    assert.equal(rejoined.position, 1);

    const fresh = (await postJson(`${second.url}/rooms/crash/join`, {})).json;
    assert.ok(fresh.seq > 5, `no seq is handed out twice (got ${fresh.seq})`);

    const reused = await fetch(`${second.url}/demo/book?room=crash`, {
      method: 'POST',
      headers: bearer(used.admission),
    });
    assert.equal(reused.status, 409, 'a consumed admission stays consumed');

    const again = (
      await postJson(`${second.url}/rooms/crash/admit`, undefined, bearer(visitors[1].ticket))
    ).json;
    assert.equal(
      again.admission,
      unused.admission,
      'a claim survives: the retry gets the same admission',
    );

    const jwksAfter = await (await fetch(`${second.url}/.well-known/jwks.json`)).json();
    assert.deepEqual(jwksAfter, jwksBefore, 'the signing keys are the same');

    second.child.kill('SIGTERM');
    const exit = await second.exited;
    assert.equal(exit.code, 0, 'SIGTERM shuts down cleanly');
    assert.match(second.output(), /SIGTERM, shutting down/);
  });

  it('refuses to start, saying so, when QUEUE_GATE_REDIS_URL points at no Redis', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-redis-'));
    dirs.push(dataDir);
    // Port 1 (tcpmux) is never a Redis: the connection is refused at once.
    await assert.rejects(
      start(dataDir, { QUEUE_GATE_REDIS_URL: 'redis://127.0.0.1:1' }),
      /Cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });
});
