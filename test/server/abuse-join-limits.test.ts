/**
 * Taking many places: the opt-in per-client limit set by `QUEUE_GATE_JOIN_LIMIT_PER_MINUTE`
 * on the real CLI, and the optional join challenge with the reference proof of work.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { createQueueApp } from '../../src/server/app.js';
import { CHALLENGE_HEADER } from '../../src/server/join-challenge.js';
import {
  PROOF_OF_WORK_HEADER,
  createProofOfWorkChallenge,
  leadingZeroBits,
  solveProofOfWork,
} from '../../src/server/proof-of-work.js';
import { createQueueService } from '../../src/server/queue-service.js';
import { DEFAULT_MAX_REQUESTS_PER_CLIENT } from '../../src/server/node-server.js';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { createTokenSigner } from '../../src/server/token-signer.js';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { postJson } from './helpers/test-server.js';

describe('QUEUE_GATE_JOIN_LIMIT_PER_MINUTE on the CLI server', () => {
  let child: ChildServer;
  before(async () => {
    child = await startChildServer({
      QUEUE_GATE_JOIN_LIMIT_PER_MINUTE: '3',
      QUEUE_GATE_DATA_DIR: `/tmp/queue-gate-limit-${process.pid}`,
      QUEUE_GATE_ADMIN_TOKEN: 'join-limit-admin-token-0123',
    });
  });
  after(async () => {
    child.child.kill('SIGKILL');
    await child.exited;
    const { rm } = await import('node:fs/promises');
    await rm(`/tmp/queue-gate-limit-${process.pid}`, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After to the fourth new place from one client in a minute, and never limits a rejoin', async () => {
    const joins = [];
    for (let i = 0; i < 4; i += 1) joins.push(await postJson(`${child.url}/rooms/demo/join`, {}));
    assert.deepEqual(
      joins.map((answer) => answer.status),
      [200, 200, 200, 429],
    );
    const limited = joins[3]!;
    assert.equal(limited.json.error.code, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    for (let i = 0; i < 5; i += 1) {
      const rejoin = await postJson(`${child.url}/rooms/demo/join`, {
        ticket: joins[0]!.json.ticket,
      });
      assert.equal(rejoin.status, 200, 'a visitor with a ticket keeps their place on every reload');
      assert.equal(rejoin.json.seq, joins[0]!.json.seq);
    }
  });
});

describe('QUEUE_GATE_TRUST_PROXY on the CLI server', () => {
  // The test stands in for the proxies: each request carries the header nginx's
  // `$proxy_add_x_forwarded_for` (and a load balancer before it) would have made, that is
  // whatever the client sent followed by the addresses the proxies saw.
  const dataDir = (hops: string) => `/tmp/queue-gate-proxy-${hops}-${process.pid}`;
  const start = (hops: string) =>
    startChildServer({
      QUEUE_GATE_TRUST_PROXY: hops,
      QUEUE_GATE_JOIN_LIMIT_PER_MINUTE: '1',
      QUEUE_GATE_DATA_DIR: dataDir(hops),
      QUEUE_GATE_ADMIN_TOKEN: 'trust-proxy-admin-token-0123',
    });
  const stop = async (child: ChildServer, hops: string) => {
    child.child.kill('SIGKILL');
    await child.exited;
    const { rm } = await import('node:fs/promises');
    await rm(dataDir(hops), { recursive: true, force: true });
  };
  const joinVia = async (url: string, forwardedFor: string | null) =>
    (
      await postJson(
        `${url}/rooms/demo/join`,
        {},
        forwardedFor === null ? {} : { 'X-Forwarded-For': forwardedFor },
      )
    ).status;

  describe('behind one proxy (1)', () => {
    let child: ChildServer;
    before(async () => {
      child = await start('1');
    });
    after(() => stop(child, '1'));

    it('counts the address the proxy appended, whatever the client put before it', async () => {
      const statuses = [];
      for (const forged of ['', '6.6.6.6, ', '7.7.7.7, ', 'unknown, 8.8.8.8, ', ', , ']) {
        statuses.push(await joinVia(child.url, `${forged}203.0.113.7`));
      }
      assert.deepEqual(statuses, [200, 429, 429, 429, 429], 'one new place for 203.0.113.7');
      assert.equal(await joinVia(child.url, '6.6.6.6, 198.51.100.1'), 200, 'another visitor');
    });

    it('counts an IPv6 client by its /64: a new address of the same network is the same client', async () => {
      const statuses = [];
      for (const address of ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:dead:beef:0:1']) {
        statuses.push(await joinVia(child.url, `6.6.6.6, ${address}`));
      }
      assert.deepEqual(statuses, [200, 429, 429], 'one new place for 2001:db8:7:1::/64');
      assert.equal(await joinVia(child.url, '2001:db8:7:2::1'), 200, 'the next /64 is another');
    });

    it('caps unfinished requests per forwarded address, not per proxy connection', async () => {
      const { port } = new URL(child.url);
      const extra = 3;
      // Every one from 192.0.2.10 (the client wrote different things before it), all over
      // connections from 127.0.0.1 as through one proxy.
      const sockets = await Promise.all(
        Array.from({ length: DEFAULT_MAX_REQUESTS_PER_CLIENT + extra }, (_, i) =>
          openSlowJoin(Number(port), `10.1.0.${i}, 192.0.2.10`),
        ),
      );
      try {
        const refused = await new Promise<typeof sockets>((done, giveUp) => {
          // Only so that a failing run ends; a passing one is answered at once.
          setTimeout(
            () => giveUp(new Error('no request past the cap was refused')),
            20_000,
          ).unref();
          const closed: typeof sockets = [];
          for (const socket of sockets) {
            void socket.closed.then(() => {
              closed.push(socket);
              if (closed.length === extra) done(closed);
            });
          }
        });
        for (const socket of refused) assert.match(socket.received(), /^HTTP\/1\.1 429 /);
        assert.equal(await joinVia(child.url, '192.0.2.10, 192.0.2.11'), 200, 'another visitor');
        const held = sockets.filter((socket) => socket.received() === '');
        assert.equal(held.length, DEFAULT_MAX_REQUESTS_PER_CLIENT, 'the first 64 still wait');
      } finally {
        for (const socket of sockets) socket.destroy();
      }
    });
  });

  describe('behind a load balancer and nginx (2)', () => {
    let child: ChildServer;
    before(async () => {
      child = await start('2');
    });
    after(() => stop(child, '2'));

    it('counts the address the load balancer saw', async () => {
      assert.equal(await joinVia(child.url, '203.0.113.7, 10.0.0.9'), 200);
      assert.equal(await joinVia(child.url, '6.6.6.6, 203.0.113.7, 10.0.0.9'), 429);
      assert.equal(await joinVia(child.url, '203.0.113.8, 10.0.0.9'), 200);
    });

    it('falls back to the connection address when the request did not pass both proxies', async () => {
      // One entry: it came in past the load balancer, so its header vouches for nothing.
      assert.equal(await joinVia(child.url, '198.51.100.20'), 200);
      assert.equal(await joinVia(child.url, '198.51.100.21'), 429, 'both are 127.0.0.1');
      assert.equal(await joinVia(child.url, null), 429);
    });
  });
});

/** A join whose body never comes, sent as if through a proxy that wrote `forwardedFor`. */
function openSlowJoin(
  port: number,
  forwardedFor: string,
): Promise<{ received: () => string; closed: Promise<void>; destroy: () => void }> {
  return new Promise((ready, fail) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.write(
        `POST /rooms/demo/join HTTP/1.1\r\nHost: queue.test\r\nX-Forwarded-For: ${forwardedFor}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
      );
      ready({ received: () => received, closed, destroy: () => socket.destroy() });
    });
  });
}

describe('the reference proof of work', () => {
  it('counts leading zero bits across bytes', () => {
    assert.equal(leadingZeroBits(new Uint8Array([0x80])), 0);
    assert.equal(leadingZeroBits(new Uint8Array([0x01])), 7);
    assert.equal(leadingZeroBits(new Uint8Array([0x00, 0x00, 0x3f])), 18);
    assert.equal(leadingZeroBits(new Uint8Array([0, 0])), 16);
  });

  it('finds a nonce whose SHA-256 of room|nonce|timestamp has the asked zero bits', async () => {
    const proof = await solveProofOfWork('launch', 10, 1_767_225_600_000);
    const [timestamp, nonce] = proof.split('.');
    const digest = createHash('sha256').update(`launch|${nonce}|${timestamp}`).digest();
    assert.ok(leadingZeroBits(digest) >= 10);
    assert.equal(timestamp, '1767225600000');
  });

  it('lets a proof buy one place across processes that share a store', async () => {
    const at = Date.UTC(2026, 0, 1, 9);
    const store = await MemoryStore.open();
    // Two processes: each its own challenge (and replay memory), one shared store.
    const [first, second] = [0, 1].map(() =>
      createProofOfWorkChallenge({
        bits: 8,
        now: () => at,
        consumeOnce: (key, expiresAtMs) => store.consumeJti(`pow:${key}`, expiresAtMs, at),
      }),
    );
    const proof = await solveProofOfWork('launch', 8, at);
    const request = () =>
      new Request('http://queue.test/rooms/launch/join', {
        method: 'POST',
        headers: { [PROOF_OF_WORK_HEADER]: proof },
      });
    assert.equal(await first!.verify(request(), 'launch'), true);
    assert.equal(await second!.verify(request(), 'launch'), false, 'the other process refuses it');
  });

  it('refuses settings that would make it meaningless or unbounded', () => {
    assert.throws(() => createProofOfWorkChallenge({ bits: 0 }), RangeError);
    assert.throws(() => createProofOfWorkChallenge({ bits: 33 }), RangeError);
    assert.throws(() => createProofOfWorkChallenge({ bits: 1.5 }), RangeError);
  });
});

describe('a join challenge on the queue app', () => {
  const BITS = 10;
  let time = Date.UTC(2026, 0, 1, 9);
  let url: string;
  let close: () => Promise<void>;

  before(async () => {
    const now = () => time;
    const store = await MemoryStore.open();
    for (const room of ['demo', 'other']) {
      await store.putRoomConfig(room, mergeRoomConfig(null, { admitPerMinute: 0 }), now());
    }
    const server = serve({
      fetch: (request) => app.fetch(request),
      port: 0,
      hostname: '127.0.0.1',
    });
    await new Promise<void>((ready) => server.once('listening', () => ready()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signer = await createTokenSigner({ issuer: url, now });
    const service = createQueueService({ store, signer, publicOrigin: url, now });
    const app = createQueueApp({
      service,
      adminToken: 'challenge-admin-token-0123',
      logError: () => {},
      joinChallenge: createProofOfWorkChallenge({ bits: BITS, windowSeconds: 60, now }),
    });
    close = () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
  });
  after(() => close());

  const joinWith = (proof: string | null, body: unknown = {}, room = 'demo') =>
    postJson(
      `${url}/rooms/${room}/join`,
      body,
      proof === null ? {} : { [PROOF_OF_WORK_HEADER]: proof },
    );

  it('refuses a new place without a proof, saying what to solve', async () => {
    const answer = await joinWith(null);
    assert.equal(answer.status, 403);
    assert.equal(answer.json.error.code, 'forbidden');
    assert.equal(answer.headers.get(CHALLENGE_HEADER), `pow bits=${BITS} window=60 now=${time}`);
  });

  it('hands out a place for a valid proof, once: the same proof again is refused', async () => {
    const proof = await solveProofOfWork('demo', BITS, time);
    const first = await joinWith(proof);
    assert.equal(first.status, 200);
    const replay = await joinWith(proof);
    assert.equal(replay.status, 403, 'a proof buys one place');
  });

  it('refuses a proof made for another room, a stale one and one from the future', async () => {
    assert.equal((await joinWith(await solveProofOfWork('other', BITS, time))).status, 403);
    assert.equal((await joinWith(await solveProofOfWork('demo', BITS, time - 61_000))).status, 403);
    assert.equal((await joinWith(await solveProofOfWork('demo', BITS, time + 61_000))).status, 403);
    assert.equal(
      (await joinWith(await solveProofOfWork('other', BITS, time), {}, 'other')).status,
      200,
    );
  });

  it('refuses a proof with too few zero bits and malformed proof headers', async () => {
    let weak: string | null = null;
    for (let counter = 0; weak === null; counter += 1) {
      const digest = createHash('sha256').update(`demo|w${counter}|${time}`).digest();
      if (leadingZeroBits(digest) < BITS) weak = `${time}.w${counter}`;
    }
    assert.equal((await joinWith(weak)).status, 403);
    for (const bad of [
      '',
      'abc',
      `${time}`,
      `${time}.`,
      `.${'a'}`,
      `${time}.a.b`,
      `${time}.${'n'.repeat(65)}`,
      `-1.a`,
    ]) {
      assert.equal((await joinWith(bad)).status, 403, `refuses ${JSON.stringify(bad)}`);
    }
  });

  it('accepts a proof anywhere inside its time window', async () => {
    const proof = await solveProofOfWork('demo', BITS, time - 59_000);
    assert.equal((await joinWith(proof)).status, 200);
  });

  it('never asks a visitor who already holds a ticket', async () => {
    time += 1_000;
    const first = await joinWith(await solveProofOfWork('demo', BITS, time));
    assert.equal(first.status, 200);
    time += 30_000;
    const rejoin = await joinWith(null, { ticket: first.json.ticket });
    assert.equal(rejoin.status, 200);
    assert.equal(rejoin.json.seq, first.json.seq);
  });

  it('refuses a replay to the last moment of its window, and still takes new visitors after', async () => {
    time += 120_000;
    const start = time;
    const proof = await solveProofOfWork('demo', BITS, start);
    assert.equal((await joinWith(proof)).status, 200);
    for (const later of [15_000, 30_001, 60_000]) {
      time = start + later;
      assert.equal((await joinWith(proof)).status, 403, `a replay at +${later} ms`);
    }
    // Stamped at the far end of the window: it must not hold back forgetting the others.
    const late = await solveProofOfWork('demo', BITS, time + 60_000);
    assert.equal((await joinWith(late)).status, 200);
    time += 90_000;
    assert.equal((await joinWith(await solveProofOfWork('demo', BITS, time))).status, 200);
    assert.equal((await joinWith(late)).status, 403, 'the late proof is still remembered');
  });
});

describe('the join challenge when no challenge is configured', () => {
  it('is off by default: a join needs no proof', async () => {
    const store = await MemoryStore.open();
    await store.putRoomConfig('demo', mergeRoomConfig(null, {}), Date.now());
    const signer = await createTokenSigner({ issuer: 'http://queue.test' });
    const service = createQueueService({ store, signer, publicOrigin: 'http://queue.test' });
    const app = createQueueApp({
      service,
      adminToken: 'no-challenge-admin-token-0123',
      logError: () => {},
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((ready) => server.once('listening', () => ready()));
    try {
      const answer = await postJson(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/rooms/demo/join`,
        {},
      );
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get(CHALLENGE_HEADER), null);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
