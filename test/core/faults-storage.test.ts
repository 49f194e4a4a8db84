import { expect } from '@open-wc/testing';
import { createTabCoordinator } from '../../src/core/tab-coordinator.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { StorageLike } from '../../src/core/ticket-store.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import { blockedStorage, memoryStorage } from './helpers/test-doubles.js';

/** Storage that works until `fill()`, then refuses every write as a full one does. */
function fillableStorage(): StorageLike & { data: Map<string, string>; fill(): void } {
  const inner = memoryStorage();
  let full = false;
  return {
    data: inner.data,
    getItem: inner.getItem,
    removeItem: inner.removeItem,
    setItem(key, value) {
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      inner.setItem(key, value);
    },
    fill: () => void (full = true),
  };
}

describe('faults the client survives: storage', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  it('holds the place through a server fault and reaches admission where every storage access throws (private mode)', async () => {
    harness = createHarness({ simulator: { issued: 4, serving: 0 }, storage: blockedStorage() });
    const { engine, until, simulator, clock, room } = harness;
    const queue = engine({
      witnessStorage: blockedStorage(),
      coordinator: createTabCoordinator({
        room,
        endpoint: ENDPOINT,
        storage: blockedStorage(),
        clock,
        locks: null,
      }),
    });
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');
    expect(waiting).to.include({ seq: 5, isLeader: true });

    // The lease fallback's heartbeats share the clock: move to the poll itself, not the next timer.
    simulator.failNext(1, { kind: 'status', status: 502 });
    await clock.advance(waiting.nextAttemptAt! - clock.now());
    const failed = await until(queue, (s) => s.status === 'reconnecting');
    expect(failed).to.include({ seq: 5 });
    expect(failed.problem?.code).to.equal('internal');

    simulator.advance(5);
    await clock.advance(failed.nextAttemptAt! - clock.now());
    const admitted = await until(queue, (s) => s.status === 'admitted');
    expect(admitted.seq).to.equal(5);
    // The one join was the first: the retry and the claim used the ticket kept in memory.
    expect(harness.requestsTo('join')).to.have.length(1);
    expect(harness.requestsTo('admit')[0]?.ticket).to.be.a('string');
  });

  it('keeps the admission in memory when storage fills up, and a reload still finds the place', async () => {
    const storage = fillableStorage();
    const witness = fillableStorage();
    harness = createHarness({ simulator: { issued: 6, serving: 0 }, storage });
    const { engine, until, simulator, clock, room } = harness;
    const queue = engine({ witnessStorage: witness });
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');
    const key = ticketStorageKey(ENDPOINT, room);
    const storedBefore = storage.getItem(key);

    storage.fill();
    witness.fill();
    simulator.advance(7);
    await clock.runNext();
    const admitted = await until(queue, (s) => s.status === 'admitted');
    expect(admitted.admission).to.be.a('string');
    expect(admitted.seq).to.equal(waiting.seq);
    expect(storage.getItem(key), 'the last good value stays').to.equal(storedBefore);

    queue.stop();
    const reloaded = engine({ witnessStorage: witness });
    reloaded.start();
    const again = await until(reloaded, (s) => s.status === 'admitted');
    // The admission was never written, so the reload claims it again with the kept ticket and
    // the server hands back the same one (claims are idempotent).
    expect(again.seq).to.equal(waiting.seq);
    expect(again.admission).to.equal(admitted.admission);
    expect(harness.requestsTo('join').at(-1)?.ticket).to.be.a('string');
  });
});
