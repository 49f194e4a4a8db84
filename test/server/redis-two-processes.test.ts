import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../e2e/helpers/wait-until.js';
import type { ChildServer } from './helpers/child-server.js';
import { pairRequests, startServerPair } from './helpers/server-pair.js';
import type { ServerPair } from './helpers/server-pair.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'two-process-admin-token-0123';
const LEASE_KEY = 'queue-gate:lease:admission-control';

describe('two server processes sharing one real redis-server', () => {
  let redis: TestRedis;
  let pair: ServerPair;
  let a: ChildServer;
  let b: ChildServer;

  before(async () => {
    redis = await startTestRedis();
    pair = await startServerPair(ADMIN_TOKEN, { QUEUE_GATE_REDIS_URL: redis.url });
    ({ a, b } = pair);
  });
  after(async () => {
    await pair?.stop();
    await redis?.stop();
  });

  const { admin, join, admit } = pairRequests(ADMIN_TOKEN);
  const state = async (server: ChildServer, room: string) =>
    (await (await fetch(`${server.url}/rooms/${room}/state`)).json()) as {
      serving: number;
      issued: number;
      ratePerSec: number;
    };

  it('publishes the same signing keys at both, although both started at once', async () => {
    const jwksA = await (await fetch(`${a.url}/.well-known/jwks.json`)).json();
    const jwksB = await (await fetch(`${b.url}/.well-known/jwks.json`)).json();
    assert.deepEqual(jwksA, jwksB);
  });

  it('hands out unique places under concurrent joins at both', async () => {
    assert.equal((await admin(a, 'PUT', 'crowd', { admitPerMinute: 0 })).status, 201);
    const joins = Array.from({ length: 200 }, (_, i) => join(i % 2 === 0 ? a : b, 'crowd'));
    const seqs = (await Promise.all(joins)).map((visitor) => visitor.seq);
    assert.equal(new Set(seqs).size, seqs.length, 'no place is handed out twice');
    const [stateA, stateB] = await Promise.all([state(a, 'crowd'), state(b, 'crowd')]);
    assert.equal(stateA.issued, stateB.issued, 'both report the same issued');
    assert.ok(stateA.issued >= Math.max(...seqs), 'issued covers every place handed out');
  });

  it('honours a ticket from one process at the other: same place on rejoin, admission there', async () => {
    assert.equal((await admin(b, 'PUT', 'handoff', { admitPerMinute: 0 })).status, 201);
    const visitor = await join(a, 'handoff');
    const rejoined = await join(b, 'handoff', visitor.ticket);
    assert.equal(rejoined.seq, visitor.seq, 'the other process keeps the place');
    assert.equal((await admit(b, 'handoff', visitor.ticket)).json.error.code, 'not_your_turn');
    assert.equal((await admin(a, 'POST', 'handoff/advance', { by: visitor.seq })).status, 200);
    const admitted = await admit(b, 'handoff', visitor.ticket);
    assert.equal(admitted.status, 200, JSON.stringify(admitted.json));
    assert.equal(typeof admitted.json.admission, 'string');
    const again = await admit(a, 'handoff', visitor.ticket);
    assert.equal(again.json.admission, admitted.json.admission, 'a retry at A gets the same one');
  });

  it('shows one serving at both: an advance at A is seen in the state at B', async () => {
    assert.equal((await admin(a, 'PUT', 'shared', { admitPerMinute: 0 })).status, 201);
    for (let i = 0; i < 5; i += 1) await join(i % 2 === 0 ? a : b, 'shared');
    assert.equal((await state(b, 'shared')).serving, 0);
    assert.equal((await admin(a, 'POST', 'shared/advance', { by: 3 })).status, 200);
    assert.equal((await state(b, 'shared')).serving, 3);
    assert.equal((await admin(b, 'POST', 'shared/advance', { by: 1 })).status, 200);
    assert.equal((await state(a, 'shared')).serving, 4);
  });

  it('names the same line by the same ETag at both, so a cache revalidating at B gets a 304', async () => {
    assert.equal((await admin(a, 'PUT', 'etags', { admitPerMinute: 0 })).status, 201);
    await join(a, 'etags');
    const fromA = await fetch(`${a.url}/rooms/etags/state`);
    await fromA.arrayBuffer();
    // Let B serialize the same line at a later moment: only `updatedAt` may differ.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fromB = await fetch(`${b.url}/rooms/etags/state`);
    await fromB.arrayBuffer();
    assert.ok(fromA.headers.get('etag'));
    assert.equal(fromB.headers.get('etag'), fromA.headers.get('etag'));
    const revalidated = await fetch(`${b.url}/rooms/etags/state`, {
      headers: { 'If-None-Match': fromA.headers.get('etag') ?? '' },
    });
    assert.equal(revalidated.status, 304);
  });

  it('books exactly once when the same admission is used at both at the same time', async () => {
    assert.equal((await admin(a, 'PUT', 'book', { admitPerMinute: 0 })).status, 201);
    const visitor = await join(b, 'book');
    await admin(b, 'POST', 'book/advance', { by: visitor.seq });
    const { admission } = (await admit(a, 'book', visitor.ticket)).json as { admission: string };
    const book = (server: ChildServer) =>
      fetch(`${server.url}/demo/book?room=book`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admission}` },
      });
    const answers = await Promise.all([book(a), book(b), book(a), book(b)]);
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409]);
    const refused = (await answers.find((answer) => answer.status === 409)!.json()) as {
      error: { code: string };
    };
    assert.equal(refused.error.code, 'admission_used');
    const reclaim = await admit(b, 'book', visitor.ticket);
    assert.equal(reclaim.status, 409, 'a booked place cannot claim again at either process');
    assert.equal(reclaim.json.error.code, 'admission_used');
  });

  it('keeps serving moving after the lease holder is killed with SIGKILL', async () => {
    assert.equal(
      (await admin(a, 'PUT', 'lease', { admitPerMinute: 60, holdSeconds: 600 })).status,
      201,
    );
    await Promise.all(Array.from({ length: 60 }, (_, i) => join(i % 2 === 0 ? a : b, 'lease')));
    await waitUntil(async () => ((await state(b, 'lease')).serving > 0 ? true : undefined), {
      what: 'the first move of serving',
    });
    const holder = await redis.client.get(LEASE_KEY);
    const holderPid = Number(holder?.split(':')[0]);
    const [dying, survivor] = a.child.pid === holderPid ? [a, b] : [b, a];
    assert.equal(dying.child.pid, holderPid, `one of the two holds the lease (${holder})`);
    // The process without the lease measured 0 at the first join; it must re-measure.
    await waitUntil(
      async () => ((await state(survivor, 'lease')).ratePerSec > 0 ? true : undefined),
      { what: 'the process without the lease to report the rate', timeoutMs: 5000 },
    );

    dying.child.kill('SIGKILL');
    await dying.exited;
    const before = (await state(survivor, 'lease')).serving;
    const after = await waitUntil(
      async () => {
        const { serving } = await state(survivor, 'lease');
        return serving > before ? serving : undefined;
      },
      { what: 'serving to move again' },
    );
    assert.ok(after > before);
    const newHolder = await redis.client.get(LEASE_KEY);
    assert.equal(Number(newHolder?.split(':')[0]), survivor.child.pid, 'the survivor holds it');
  });
});
