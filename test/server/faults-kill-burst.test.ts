/**
 * `kill -9` in the middle of a burst of joins, admissions, bookings and advances, on the real
 * CLI server in a child process, for the embedded store and for Redis. Whatever was answered
 * before the kill must hold after a restart: no seq handed out twice, no consumed admission
 * usable again, `serving` never back.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import type { LooseJson } from './helpers/test-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'kill-burst-admin-token-0123456';
const PUBLIC_URL = 'http://queue.test';
const ROOM = 'burst';

interface Visitor {
  ticket: string;
  seq: number;
}

/** What the first process answered before it died. */
interface Observed {
  seqs: number[];
  maxServing: number;
  /** Admissions whose booking was answered 200. */
  booked: string[];
  /** Admissions handed out, booked or not. */
  admissions: string[];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function call(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; json: LooseJson }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

function adminCall(server: ChildServer, method: string, path: string, body?: unknown) {
  return call(`${server.url}/admin/rooms/${path}`, {
    method,
    headers: { ...bearer(ADMIN_TOKEN), 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const joinNew = (server: ChildServer) =>
  call(`${server.url}/rooms/${ROOM}/join`, { method: 'POST' });
const admitWith = (server: ChildServer, ticket: string) =>
  call(`${server.url}/rooms/${ROOM}/admit`, { method: 'POST', headers: bearer(ticket) });
const book = (server: ChildServer, admission: string) =>
  call(`${server.url}/demo/book?room=${ROOM}`, { method: 'POST', headers: bearer(admission) });

/**
 * Keeps joins and advances going from many workers, claims and books with the seeded
 * visitors, and kills the process with SIGKILL once some bookings went through: joins are in
 * flight at that moment by construction. Records only what was answered.
 */
async function burstAndKill(server: ChildServer, seeded: Visitor[]): Promise<Observed> {
  const observed: Observed = {
    seqs: seeded.map((v) => v.seq),
    maxServing: 0,
    booked: [],
    admissions: [],
  };
  let killed = false;
  let markKilled!: () => void;
  const killedAt = new Promise<void>((done) => (markKilled = done));
  // Checked as each answer lands (not on a timer, which a busy loop would run too late).
  const maybeKill = () => {
    if (killed || observed.booked.length < 5) return;
    killed = true;
    server.child.kill('SIGKILL');
    markKilled();
  };
  const joinWorker = async () => {
    while (!killed) {
      const answer = await joinNew(server).catch(() => null);
      if (answer?.status === 200) {
        observed.seqs.push(answer.json.seq);
        observed.maxServing = Math.max(observed.maxServing, answer.json.serving);
      }
    }
  };
  const advanceWorker = async () => {
    while (!killed) {
      const answer = await adminCall(server, 'POST', `${ROOM}/advance`, { by: 1 }).catch(
        () => null,
      );
      if (answer?.status === 200) {
        observed.maxServing = Math.max(observed.maxServing, answer.json.serving);
      }
    }
  };
  const claimAndBook = async (visitor: Visitor) => {
    const answer = await admitWith(server, visitor.ticket).catch(() => null);
    if (answer?.status !== 200) return;
    const admission = answer.json.admission as string;
    observed.admissions.push(admission);
    const booking = await book(server, admission).catch(() => null);
    if (booking?.status === 200) observed.booked.push(admission);
    maybeKill();
  };
  const work = [
    ...Array.from({ length: 24 }, joinWorker),
    advanceWorker(),
    ...seeded.map(claimAndBook),
  ];
  await killedAt;
  await Promise.all(work);
  assert.equal((await server.exited).signal, 'SIGKILL');
  return observed;
}

async function checkAfterRestart(second: ChildServer, before: Observed, seeded: Visitor[]) {
  const unique = new Set(before.seqs);
  assert.equal(unique.size, before.seqs.length, 'no seq was handed out twice before the kill');

  const stats = await adminCall(second, 'GET', ROOM);
  assert.equal(stats.status, 200);
  assert.ok(
    stats.json.serving >= before.maxServing,
    `serving never goes back (${stats.json.serving} after, ${before.maxServing} seen before)`,
  );

  const highest = Math.max(...before.seqs);
  for (let i = 0; i < 20; i += 1) {
    const fresh = await joinNew(second);
    assert.equal(fresh.status, 200);
    assert.ok(
      fresh.json.seq > highest,
      `seq ${fresh.json.seq} is new (highest before: ${highest})`,
    );
    assert.ok(!unique.has(fresh.json.seq));
    unique.add(fresh.json.seq);
  }

  for (const admission of before.booked) {
    const reused = await book(second, admission);
    assert.equal(reused.status, 409, 'a booked admission stays consumed after kill -9');
    assert.equal(reused.json.error.code, 'admission_used');
  }
  // An admission whose booking was in flight at the kill may have been used or not; either
  // way it books at most once over both lives of the server.
  for (const admission of before.admissions.filter((a) => !before.booked.includes(a))) {
    const first = await book(second, admission);
    const again = await book(second, admission);
    assert.ok([200, 409].includes(first.status), `booking answered ${first.status}`);
    assert.equal(again.status, 409, 'never usable twice');
  }
  for (const visitor of seeded) {
    const rejoined = await call(`${second.url}/rooms/${ROOM}/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticket: visitor.ticket }),
    });
    assert.equal(rejoined.json.seq, visitor.seq, 'a ticket keeps its place');
  }
}

describe('kill -9 during a burst of joins and admissions', () => {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  let redis: TestRedis | undefined;
  after(async () => {
    for (const child of children) child.child.kill('SIGKILL');
    await redis?.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const run = async (extraEnv: Record<string, string>) => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-burst-'));
    dirs.push(dataDir);
    const start = async () => {
      const server = await startChildServer({
        QUEUE_GATE_DATA_DIR: dataDir,
        QUEUE_GATE_PUBLIC_URL: PUBLIC_URL,
        QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
        ...extraEnv,
      });
      children.push(server);
      return server;
    };
    const first = await start();
    assert.equal(
      (await adminCall(first, 'PUT', ROOM, { admitPerMinute: 0, holdSeconds: 600 })).status,
      201,
    );
    const seeded: Visitor[] = [];
    for (let i = 0; i < 40; i += 1) seeded.push((await joinNew(first)).json as Visitor);
    await adminCall(first, 'POST', `${ROOM}/advance`, { by: 40 });

    const observed = await burstAndKill(first, seeded);
    assert.ok(observed.seqs.length > seeded.length, 'some joins of the burst were answered');
    assert.ok(observed.booked.length >= 5, 'bookings went through before the kill');

    const second = await start();
    await checkAfterRestart(second, observed, seeded);
    second.child.kill('SIGKILL');
  };

  it('keeps every answered seq, consumed admission and serving with the embedded store', async () => {
    await run({});
  });

  it('keeps every answered seq, consumed admission and serving with the Redis store', async () => {
    redis = await startTestRedis();
    await run({ QUEUE_GATE_REDIS_URL: redis.url });
  });
});
