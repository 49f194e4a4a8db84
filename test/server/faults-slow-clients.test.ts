/**
 * Clients that never finish: trickled headers, bodies far over the limit, thousands of sockets
 * that say nothing. Each is cut off in bounded time and memory while everyone else is served.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol.js';
import { DEFAULT_HTTP_TIMEOUTS, startQueueServer } from '../../src/server/node-server.js';
import type { RunningQueueServer } from '../../src/server/node-server.js';

const TIMEOUTS = {
  headersTimeoutMs: 600,
  requestTimeoutMs: 1200,
  keepAliveTimeoutMs: 300,
  checkIntervalMs: 100,
};

/** A raw TCP client that records what the server sent and when it closed. */
interface RawClient {
  socket: Socket;
  received: () => string;
  closed: Promise<number>;
}

function openRaw(port: number): Promise<RawClient> {
  return new Promise((ready, fail) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<number>((done) =>
      socket.once('close', () => done(Date.now() - started)),
    );
    socket.once('connect', () => ready({ socket, received: () => received, closed }));
    socket.once('error', fail);
  });
}

async function healthy(url: string): Promise<number> {
  const started = Date.now();
  const response = await fetch(`${url}/healthz`);
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  return Date.now() - started;
}

describe('the Node server facing slow, huge and idle clients', () => {
  let server: RunningQueueServer;
  let port: number;
  before(async () => {
    server = await startQueueServer({
      port: 0,
      dataDir: null,
      staticRoot: null,
      tickIntervalMs: 0,
      adminToken: 'slow-clients-admin-token-0123',
      httpTimeouts: TIMEOUTS,
    });
    port = Number(new URL(server.url).port);
  });
  after(() => server.close());

  it('sets every connection limit on purpose, stricter than Node defaults', () => {
    assert.ok(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs <= 10_000);
    assert.ok(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs <= 30_000);
    assert.ok(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs <= DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs);
    assert.ok(DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs <= 10_000);
    assert.ok(DEFAULT_HTTP_TIMEOUTS.checkIntervalMs <= 5_000);
  });

  it('cuts off a client that trickles its headers, and serves others meanwhile', async () => {
    const slow = await openRaw(port);
    slow.socket.write('POST /rooms/demo/join HTTP/1.1\r\nHost: queue.test\r\n');
    const trickle = setInterval(() => {
      if (!slow.socket.destroyed) slow.socket.write('X-Slow: 1\r\n');
    }, 50);
    try {
      assert.ok((await healthy(server.url)) < 500, 'others are answered while it trickles');
      const closedAfter = await slow.closed;
      assert.match(slow.received(), /^HTTP\/1\.1 408 /, 'told its request timed out');
      assert.ok(
        closedAfter < TIMEOUTS.headersTimeoutMs + 4 * TIMEOUTS.checkIntervalMs + 500,
        `cut off after ${closedAfter} ms`,
      );
    } finally {
      clearInterval(trickle);
    }
  });

  it('cuts off a client that sends its headers and then trickles a small body', async () => {
    const slow = await openRaw(port);
    slow.socket.write(
      'POST /rooms/demo/join HTTP/1.1\r\nHost: queue.test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
    );
    const trickle = setInterval(() => {
      if (!slow.socket.destroyed) slow.socket.write(' ');
    }, 50);
    try {
      const closedAfter = await slow.closed;
      assert.ok(
        closedAfter < TIMEOUTS.requestTimeoutMs + 4 * TIMEOUTS.checkIntervalMs + 500,
        `cut off after ${closedAfter} ms`,
      );
      assert.doesNotMatch(
        slow.received(),
        /^HTTP\/1\.1 200 /,
        'no place for a body never finished',
      );
    } finally {
      clearInterval(trickle);
    }
  });

  it('refuses a declared 1 GB body with 413 and closes, having read almost none of it', async () => {
    const huge = await openRaw(port);
    const declared = 1024 * 1024 * 1024;
    huge.socket.write(
      `POST /rooms/demo/join HTTP/1.1\r\nHost: queue.test\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!huge.socket.destroyed && sent < declared) {
        sent += chunk.length;
        if (!huge.socket.write(chunk)) {
          huge.socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
    const closedAfter = await huge.closed;
    assert.match(huge.received(), /^HTTP\/1\.1 413 /);
    assert.match(huge.received(), /"code":"body_too_large"/);
    assert.match(huge.received(), /connection: close/i);
    assert.ok(closedAfter < 2000, `closed after ${closedAfter} ms`);
    // What the client pushed before the close sits in socket buffers, not in the server: a few
    // MB at most, against the gigabyte a drain-to-keep-alive would have read.
    assert.ok(sent < 32 * 1024 * 1024, `only ${sent} bytes left the client`);
    assert.ok((await healthy(server.url)) < 500);
  });

  it('refuses a chunked body without Content-Length as soon as it passes the limit', async () => {
    let pulled = 0;
    const kib = new Uint8Array(1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 64 * 1024) controller.close();
        else controller.enqueue(kib);
      },
    });
    const response = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    if (response instanceof Response) {
      assert.equal(response.status, 413);
      assert.equal(
        ((await response.json()) as { error: { code: string } }).error.code,
        'body_too_large',
      );
    }
    // Either way the upload stopped far short of its 64 MB.
    assert.ok(pulled * 1024 < 16 * 1024 * 1024, `pulled ${pulled} KiB`);
    assert.ok(pulled * 1024 > LIMITS.maxBodyBytes, 'the limit itself was reached');
  });

  it('holds 2,000 idle sockets in bounded memory, answers others, then closes them all', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const idle: RawClient[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      idle.push(...(await Promise.all(Array.from({ length: 100 }, () => openRaw(port)))));
    }
    assert.equal(idle.length, 2000);
    assert.ok((await healthy(server.url)) < 1000, 'a real visitor is still answered at once');
    const join = await fetch(`${server.url}/rooms/demo/join`, { method: 'POST' });
    assert.equal(join.status, 200);
    await join.arrayBuffer();
    gc?.();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    // Both ends of every socket live in this process; still far under 100 kB a connection.
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${Math.round(grown / 1024)} kB`);

    const closedAfter = await Promise.all(idle.map((client) => client.closed));
    const slowest = Math.max(...closedAfter);
    assert.ok(
      slowest < TIMEOUTS.headersTimeoutMs + 4 * TIMEOUTS.checkIntervalMs + 3000,
      `the server closed every idle socket, the last after ${slowest} ms`,
    );
    assert.ok((await healthy(server.url)) < 500);
  });

  it('closes a kept-alive connection that stays idle after its answer', async () => {
    const client = await openRaw(port);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: queue.test\r\n\r\n');
    const closedAfter = await client.closed;
    assert.match(client.received(), /^HTTP\/1\.1 200 /);
    // Node keeps the socket a second past keepAliveTimeout, so a client told the hint never
    // reuses a connection the server is closing at that moment.
    assert.ok(
      closedAfter < TIMEOUTS.keepAliveTimeoutMs + 1000 + 500,
      `closed after ${closedAfter} ms`,
    );
  });
});
