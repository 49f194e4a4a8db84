/**
 * A slow-body flood from one address: 2,100 connections each send the headers of a join, one
 * byte of its 1,000-byte body, and nothing more. Against the real CLI server with its default
 * limits, everyone else is still answered meanwhile, the slow requests are cut at the body
 * deadline (408 body_timeout) or refused at once past the per-address cap (429), and none of
 * it is logged as an error or counted as a 500.
 *
 * The flood comes from 127.0.0.2 and the visitors from 127.0.0.1: two addresses on one
 * machine (Linux routes all of 127.0.0.0/8 to loopback).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_HTTP_TIMEOUTS,
  DEFAULT_MAX_REQUESTS_PER_CLIENT,
  startQueueServer,
} from '../../src/server/node-server.js';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { startTestServer } from './helpers/test-server.js';

const FLOOD = 2_100;
const ATTACKER = '127.0.0.2';
const ADMIN_TOKEN = 'slow-bodies-admin-token-0123';
/** Long enough never to fire in a passing run; only there so a failing one does not hang. */
const GIVE_UP_MS = 25_000;

/** A connection that sent a join's headers and one byte of its body. */
interface SlowBody {
  /** What the server sent so far. */
  received: () => string;
  /** Resolves when the server closed the connection (rejects after {@link GIVE_UP_MS}). */
  closed: Promise<void>;
  /** Sends the join's headers and the first byte of its body. */
  send: () => void;
}

function openSlowBody(port: number): Promise<SlowBody> {
  return new Promise((ready, fail) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: ATTACKER });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((done, giveUp) => {
      const timer = setTimeout(() => {
        socket.destroy();
        giveUp(new Error(`not closed by the server; it sent ${JSON.stringify(received)}`));
      }, GIVE_UP_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        done();
      });
    });
    socket.once('error', fail);
    socket.once('connect', () => {
      ready({
        received: () => received,
        closed,
        send: () =>
          socket.write(
            'POST /rooms/demo/join HTTP/1.1\r\nHost: queue.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
          ),
      });
    });
  });
}

async function flood(port: number): Promise<SlowBody[]> {
  const sockets: SlowBody[] = [];
  while (sockets.length < FLOOD) {
    // Batches under the listen backlog (511): fast, and no connection waits for a SYN retry.
    const batch = Math.min(400, FLOOD - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => openSlowBody(port)))));
  }
  // Every connection is open before any request starts, so all of them arrive well within one
  // body deadline however slow the machine is at opening sockets: the cap, not the timing of
  // the flood, decides which are held.
  for (const socket of sockets) socket.send();
  return sockets;
}

/** A visitor's three requests, from 127.0.0.1: the statuses they got. */
async function visitor(url: string): Promise<number[]> {
  const answers = await Promise.all([
    fetch(`${url}/rooms/demo/state`, { signal: AbortSignal.timeout(GIVE_UP_MS) }),
    fetch(`${url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(GIVE_UP_MS),
    }),
    fetch(`${url}/healthz`, { signal: AbortSignal.timeout(GIVE_UP_MS) }),
  ]);
  await Promise.all(answers.map((answer) => answer.arrayBuffer()));
  return answers.map((answer) => answer.status);
}

const statusOf = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3}) /.exec(raw)?.[1] ?? 0);

async function counters(url: string): Promise<string> {
  const answer = await fetch(`${url}/metrics`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.equal(answer.status, 200);
  return answer.text();
}

const counter = (text: string, series: string): number =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1] ?? 0,
  );

/** Stack frames (`    at fn (file:1:2)`) or error names in the server's output. */
const NOISE = /^\s+at .+:\d+:\d+\)?$|Error\b/m;

/** Starts the CLI server with its default limits, plus `env`. */
async function startServer(name: string, env: Record<string, string>): Promise<ChildServer> {
  const dataDir = `/tmp/queue-gate-${name}-${process.pid}`;
  await rm(dataDir, { recursive: true, force: true });
  return startChildServer({
    QUEUE_GATE_DATA_DIR: dataDir,
    QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
    ...env,
  });
}

async function stopServer(child: ChildServer, name: string): Promise<void> {
  child.child.kill('SIGKILL');
  await child.exited;
  await rm(`/tmp/queue-gate-${name}-${process.pid}`, { recursive: true, force: true });
}

describe('2,100 slow bodies from one address, no per-address cap', () => {
  let child: ChildServer;
  before(async () => {
    child = await startServer('slow-bodies-uncapped', { QUEUE_GATE_MAX_REQUESTS_PER_CLIENT: '0' });
  });
  after(() => stopServer(child, 'slow-bodies-uncapped'));

  it('answers other visitors while the bodies trickle, then cuts every slow one at the body deadline', async () => {
    const { port } = new URL(child.url);
    const slow = await flood(Number(port));
    const statuses = await visitor(child.url);
    const stillWaiting = slow.filter((socket) => socket.received() === '').length;
    assert.deepEqual(statuses, [200, 200, 200], 'state, join and healthz answered');
    // More requests were waiting for their bodies than the overload guard's 2,048 at the
    // moment the visitor was answered: they are not counted as work.
    assert.ok(stillWaiting > 2048, `${stillWaiting} slow bodies were still pending`);

    await Promise.all(slow.map((socket) => socket.closed));
    const answers = slow.map((socket) => socket.received());
    // The JSON 408 comes from the body deadline; Node's own request timeout (20 s) sends a
    // bare 408 without a body.
    assert.deepEqual(
      [...new Set(answers.map(statusOf))],
      [408],
      'every slow body was answered 408 and closed',
    );
    assert.ok(answers.every((raw) => raw.includes('"code":"body_timeout"')));
    assert.ok(answers.every((raw) => /\r\nconnection: close\r\n/i.test(raw)));
    assert.ok(DEFAULT_HTTP_TIMEOUTS.bodyTimeoutMs < DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs);

    const metrics = await counters(child.url);
    assert.equal(counter(metrics, 'queue_gate_rejections_total{code="body_timeout"}'), FLOOD);
    assert.doesNotMatch(metrics, /^queue_gate_errors_total/m, 'no 5xx counted');
    assert.deepEqual(await visitor(child.url), [200, 200, 200]);
    assert.doesNotMatch(child.output(), NOISE, 'nothing logged as an error');
  });
});

describe('2,100 slow bodies from one address, default per-address cap', () => {
  let child: ChildServer;
  before(async () => {
    child = await startServer('slow-bodies-capped', {});
  });
  after(() => stopServer(child, 'slow-bodies-capped'));

  it('holds only the first 64 until the deadline and refuses the rest at once with 429, closing them', async () => {
    const { port } = new URL(child.url);
    const slow = await flood(Number(port));
    assert.deepEqual(await visitor(child.url), [200, 200, 200], 'another address is served');

    await Promise.all(slow.map((socket) => socket.closed));
    const answers = slow.map((socket) => socket.received());
    const refused = answers.filter((raw) => statusOf(raw) === 429);
    const cut = answers.filter((raw) => statusOf(raw) === 408);
    // On an idle machine exactly the first 64 are held. On a loaded one the server may still be
    // reading the flood when those are cut at the deadline, and their freed slots go to the
    // next ones: a few waves of at most 64, never the flood.
    assert.ok(cut.length >= DEFAULT_MAX_REQUESTS_PER_CLIENT, `held up to the cap (${cut.length})`);
    assert.ok(
      cut.length <= 4 * DEFAULT_MAX_REQUESTS_PER_CLIENT,
      `${cut.length} held, not the flood`,
    );
    assert.equal(refused.length, FLOOD - cut.length, 'the rest refused at once');
    for (const raw of refused) {
      assert.match(raw, /"code":"rate_limited"/);
      assert.match(raw, /\r\nretry-after: \d+\r\n/i);
      assert.match(raw, /\r\nconnection: close\r\n/i);
    }

    const metrics = await counters(child.url);
    assert.equal(
      counter(metrics, 'queue_gate_rejections_total{code="rate_limited"}'),
      refused.length,
    );
    assert.doesNotMatch(metrics, /^queue_gate_errors_total/m, 'no 5xx counted');
    assert.doesNotMatch(child.output(), NOISE, 'nothing logged as an error');
  });
});

describe('a body cut off before its end', () => {
  /** Sends a join's headers and one byte of body, then waits until the server closes it. */
  const cutOff = async (url: string, close = false): Promise<string> => {
    const { port } = new URL(url);
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    await new Promise((ready) => socket.once('connect', ready));
    socket.write(
      'POST /rooms/demo/join HTTP/1.1\r\nHost: queue.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    if (close) setTimeout(() => socket.destroy(), 100);
    await new Promise((done) => socket.once('close', done));
    // The server's side of the close is handled on its next turns.
    await new Promise((done) => setTimeout(done, 100));
    return received;
  };

  it("is not logged or counted as a server error when Node's request timeout cuts it", async () => {
    const logged: unknown[] = [];
    const server = await startQueueServer({
      port: 0,
      dataDir: null,
      staticRoot: null,
      tickIntervalMs: 0,
      logError: (message, error) => logged.push([message, error]),
      // Node's own limit comes first here, so the gate sees the connection die under it.
      httpTimeouts: {
        headersTimeoutMs: 500,
        requestTimeoutMs: 800,
        bodyTimeoutMs: 60_000,
        checkIntervalMs: 100,
      },
    });
    try {
      assert.match(await cutOff(server.url), /^HTTP\/1\.1 408 /);
      assert.deepEqual(logged, []);
      const counters = await server.store.readCounters();
      assert.ok(!counters.some((entry) => entry.name === 'errors'), JSON.stringify(counters));
    } finally {
      await server.close();
    }
  });

  it('is a 408 body_timeout rejection, not a 500, when the app reads it itself', async () => {
    // The app without the Node server's gate, as on other runtimes: it reads the body itself.
    const server = await startTestServer();
    try {
      await cutOff(server.url, true);
      const counters = await server.store.readCounters();
      assert.ok(!counters.some((entry) => entry.name === 'errors'), JSON.stringify(counters));
      assert.ok(
        counters.some((entry) => entry.name === 'rejections' && entry.code === 'body_timeout'),
      );
    } finally {
      await server.close();
    }
  });
});
