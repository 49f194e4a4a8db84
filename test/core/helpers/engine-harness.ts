/**
 * Builds a queue engine over a simulated server, a manual clock, a seeded random source and a
 * storage the test controls: every moving part of the engine, injected.
 */
import { createQueueEngine } from '../../../src/core/queue-engine.js';
import type { QueueEngineOptions } from '../../../src/core/queue-engine.js';
import { createTabCoordinator } from '../../../src/core/tab-coordinator.js';
import type { StorageLike } from '../../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../../src/core/types.js';
import { createQueueSimulator } from '../../../src/mocks/queue-simulator.js';
import type { QueueSimulatorOptions } from '../../../src/mocks/queue-simulator.js';
import { answerTracker, settlingClock } from './settling-clock.js';
import { untilSnapshot } from './snapshot-wait.js';
import { manualLifecycle, memoryStorage, seededRandom, uniqueRoom } from './test-doubles.js';

export const ENDPOINT = 'https://queue.test';

export function createHarness(
  options: { simulator?: QueueSimulatorOptions; storage?: StorageLike; seed?: number } = {},
) {
  // The clock waits for the engine to read each answer (signed in real time) before moving on.
  const answers = answerTracker();
  const clock = settlingClock(answers.idle);
  const room = uniqueRoom();
  const simulator = createQueueSimulator({ ...options.simulator, room, now: clock.now });
  const storage = options.storage ?? memoryStorage();
  const lifecycle = manualLifecycle();
  const random = seededRandom(options.seed ?? 1);
  const engines: QueueEngine[] = [];

  const engine = (overrides: Partial<QueueEngineOptions> = {}) => {
    const created = createQueueEngine({
      endpoint: ENDPOINT,
      room,
      storage,
      clock,
      random,
      lifecycle,
      coordinator: null,
      ...overrides,
      fetch: answers.track(overrides.fetch ?? simulator.fetch),
    });
    engines.push(created);
    return created;
  };

  /** Resolves once `engine`'s snapshot satisfies `predicate` (async work settles in real time). */
  const until = (
    target: QueueEngine,
    predicate: (snapshot: QueueSnapshot) => boolean,
    message = 'snapshot never matched',
  ) => untilSnapshot(target, predicate, message);

  const requestsTo = (endpoint: 'join' | 'state' | 'admit') =>
    simulator.requests.filter((request) => request.path.endsWith(`/${endpoint}`));

  const stopAll = () => engines.forEach((created) => created.stop());

  return { clock, room, simulator, storage, lifecycle, random, engine, until, requestsTo, stopAll };
}

/** An engine of the harness's room, coordinated with the room's other tabs over Web Locks. */
export const tabEngine = (
  harness: ReturnType<typeof createHarness>,
  options: Partial<QueueEngineOptions> = {},
) => {
  const { room, storage, clock } = harness;
  return harness.engine({
    coordinator: createTabCoordinator({ room, endpoint: ENDPOINT, storage, clock }),
    ...options,
  });
};
