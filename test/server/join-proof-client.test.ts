import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { createQueueEngine } from '../../src/core/queue-engine.js';
import type { StorageLike } from '../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import { untilSnapshot } from '../core/helpers/snapshot-wait.js';
import { memoryStorage } from '../core/helpers/test-doubles.js';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';

interface SentJoin {
  proof: string | null;
  withTicket: boolean;
  status: number;
}

/** A real fetch that notes each join the engine sends and what the server answered. */
function recordingFetch(sent: SentJoin[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (String(input).endsWith('/join')) {
      const headers = new Headers(init?.headers);
      const body = JSON.parse(String(init?.body ?? '{}')) as { ticket?: string };
      sent.push({
        proof: headers.get('Queue-Gate-Proof'),
        withTicket: typeof body.ticket === 'string',
        status: response.status,
      });
    }
    return response;
  };
}

const engines: QueueEngine[] = [];

/** The engine's requests are real HTTP (and a proof takes work), so waiting takes longer. */
const until = (
  engine: QueueEngine,
  predicate: (snapshot: QueueSnapshot) => boolean,
  what: string,
) => untilSnapshot(engine, predicate, what, { timeoutMs: 15_000, intervalMs: 10 });

/**
 * Starts the CLI server with `env` (and a data directory of its own) before the enclosing
 * suite, and stops it and the suite's engines after.
 */
function cliServerFor(name: string, env: Record<string, string>): { readonly url: string } {
  let server: ChildServer;
  const dataDir = `/tmp/queue-gate-${name}-${process.pid}`;
  before(async () => {
    server = await startChildServer({
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_ADMIN_TOKEN: 'pow-client-admin-token-0123',
      ...env,
    });
  });
  after(async () => {
    for (const engine of engines.splice(0)) engine.stop();
    server.child.kill('SIGKILL');
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get url() {
      return server.url;
    },
  };
}

function engineFor(server: { url: string }, storage: StorageLike, sent: SentJoin[]): QueueEngine {
  const engine = createQueueEngine({
    endpoint: server.url,
    room: 'demo',
    storage,
    witnessStorage: null,
    fetch: recordingFetch(sent),
    lifecycle: { subscribe: () => () => {} },
    coordinator: null,
  });
  engines.push(engine);
  return engine;
}

describe('the client core against the CLI server with QUEUE_GATE_JOIN_POW_BITS on', () => {
  const server = cliServerFor('pow-on', { QUEUE_GATE_JOIN_POW_BITS: '10' });

  it('refuses a new place without a proof, naming the challenge in a header CORS exposes', async () => {
    const response = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url },
      body: '{}',
    });
    assert.equal(response.status, 403);
    assert.match(
      response.headers.get('Queue-Gate-Challenge') ?? '',
      /^pow bits=10 window=120 now=\d+$/,
    );
    assert.match(
      response.headers.get('Access-Control-Expose-Headers') ?? '',
      /Queue-Gate-Challenge/,
    );
    const preflight = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'OPTIONS',
      headers: {
        Origin: server.url,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, queue-gate-proof',
      },
    });
    assert.match(preflight.headers.get('Access-Control-Allow-Headers') ?? '', /Queue-Gate-Proof/i);
  });

  it('gives a new visitor a place after the core solves the proof, and the server used that proof up', async () => {
    const sent: SentJoin[] = [];
    const storage = memoryStorage();
    const engine = engineFor(server, storage, sent);
    engine.start();
    const placed = await until(engine, (s) => s.seq !== null, 'the visitor gets a place');
    assert.ok(placed.seq! >= 1);
    assert.deepEqual(
      sent.map(({ proof, status }) => ({ proved: proof !== null, status })),
      [
        { proved: false, status: 403 },
        { proved: true, status: 200 },
      ],
    );
    const proof = sent[1]!.proof!;
    assert.match(proof, /^\d{13}\.[0-9a-z]+$/);
    // The server checked and remembered this exact proof: sent again, it buys nothing.
    const replay = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Queue-Gate-Proof': proof },
      body: '{}',
    });
    assert.equal(replay.status, 403);
    await replay.body?.cancel();
    engine.stop();

    // A reload: the ticket in storage keeps the place, and no proof is asked for or sent.
    const again: SentJoin[] = [];
    const reloaded = engineFor(server, storage, again);
    reloaded.start();
    // The stored seq shows at once; wait for the server's answer to the rejoin.
    const kept = await until(
      reloaded,
      (s) => again.length > 0 && s.lastUpdatedAt !== null,
      'the reload rejoins',
    );
    assert.equal(kept.seq, placed.seq);
    assert.deepEqual(again, [{ proof: null, withTicket: true, status: 200 }]);
  });
});

describe('the client core against the CLI server with the challenge off', () => {
  const server = cliServerFor('pow-off', {});

  it('joins with one request and no proof header', async () => {
    const sent: SentJoin[] = [];
    const engine = engineFor(server, memoryStorage(), sent);
    engine.start();
    await until(engine, (s) => s.seq !== null, 'the visitor gets a place');
    assert.deepEqual(sent, [{ proof: null, withTicket: false, status: 200 }]);
  });
});
