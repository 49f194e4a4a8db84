import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { createManualClock } from '../../src/core/manual-clock.js';
import type { ManualClock } from '../../src/core/manual-clock.js';
import { createQueueEngine } from '../../src/core/queue-engine.js';
import type { StorageLike } from '../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import { untilSnapshot } from '../core/helpers/snapshot-wait.js';
import { memoryStorage } from '../core/helpers/test-doubles.js';
import { drawOrder } from '../../src/server/opening-draw.js';
import { adminCall, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';

/** The engine's requests are real HTTP, so waiting takes longer than over the simulator. */
const until = (
  engine: QueueEngine,
  predicate: (snapshot: QueueSnapshot) => boolean,
  what: string,
) => untilSnapshot(engine, predicate, what, { timeoutMs: 5000 });

describe('the client core through a scheduled opening, against the real server', () => {
  let server: TestServer;
  let clock: ManualClock;
  let opensAt: number;
  const engines: QueueEngine[] = [];
  let random = 0.1;

  const engine = (storage: StorageLike, cohort?: string) => {
    const created = createQueueEngine({
      endpoint: server.url,
      room: 'launch',
      storage,
      witnessStorage: null,
      clock,
      random: () => (random = (random + 0.37) % 1),
      lifecycle: { subscribe: () => () => {} },
      coordinator: null,
      ...(cohort ? { cohort } : {}),
    });
    engines.push(created);
    return created;
  };
  /** Moves both the server's and the engines' clocks, letting each fired request finish. */
  const advance = async (ms: number, step = 5000) => {
    for (let moved = 0; moved < ms; moved += step) {
      server.clock.advance(step);
      await clock.advance(step);
      await new Promise((done) => setTimeout(done, 15));
    }
  };

  before(async () => {
    server = await startTestServer({ rooms: {} });
    clock = createManualClock(server.clock.now());
    opensAt = server.clock.now() + 5 * 60_000;
    await adminCall(server, 'PUT', 'launch', { admitPerMinute: 0, holdSeconds: 600, opensAt });
  });
  after(async () => {
    for (const created of engines) created.stop();
    await server.close();
  });

  it('holds pre-open tickets with a countdown, then shows the drawn places and admits in that order', async () => {
    const storages = [memoryStorage(), memoryStorage(), memoryStorage()];
    const visitors = storages.map((storage) => engine(storage));
    for (const visitor of visitors) {
      visitor.start();
      const snapshot = await until(visitor, (s) => s.opensAt === opensAt, 'pre-open ticket');
      assert.equal(snapshot.status, 'waiting');
      assert.equal(snapshot.seq, null);
      await advance(20_000);
    }

    await advance(opensAt - server.clock.now() + 70_000);
    const seqs: number[] = [];
    for (const visitor of visitors) {
      const snapshot = await until(visitor, (s) => s.seq !== null, 'a drawn place');
      assert.equal(snapshot.opensAt, null);
      seqs.push(snapshot.seq!);
    }
    assert.deepEqual([...seqs].sort(), [1, 2, 3]);

    const record: LooseJson = await (await fetch(`${server.url}/rooms/launch/fairness`)).json();
    const order = await drawOrder(record.draw.seed, record.draw.entrants);
    const subs = storages.map((storage) => {
      const stored = JSON.parse([...storage.data.values()][0]!);
      return decodeJwt(stored.ticket).sub!;
    });
    subs.forEach((sub, i) => assert.equal(order.indexOf(sub) + 1, seqs[i]));

    // A reload keeps the drawn place.
    visitors[0]!.stop();
    const reloaded = engine(storages[0]!);
    reloaded.start();
    assert.equal((await until(reloaded, (s) => s.seq !== null, 'reloaded place')).seq, seqs[0]);

    await adminCall(server, 'POST', 'launch/advance', { by: 1 });
    await advance(20_000, 2000);
    const first = [reloaded, visitors[1]!, visitors[2]!][seqs.indexOf(1)]!;
    await until(first, (s) => s.status === 'admitted', 'the first drawn place admitted');
    for (const other of [reloaded, visitors[1]!, visitors[2]!].filter((e) => e !== first)) {
      assert.equal(other.getSnapshot().status, 'waiting');
    }
  });
});
