/**
 * A queue engine in the page that reaches a simulator through a real MSW service worker and
 * the page's own fetch (browser tests only: it needs a service worker and mocha's hooks).
 */
import type { SetupWorker } from 'msw/browser';
import { createManualClock } from '../../../src/core/manual-clock.js';
import { createQueueEngine } from '../../../src/core/queue-engine.js';
import type { QueueEngineOptions } from '../../../src/core/queue-engine.js';
import type { QueueEngine, QueueSnapshot } from '../../../src/core/types.js';
import { startMockWorker } from '../../../src/mocks/browser.js';
import { createQueueSimulator } from '../../../src/mocks/queue-simulator.js';
import type { QueueSimulatorOptions } from '../../../src/mocks/queue-simulator.js';
import { untilSnapshot } from './snapshot-wait.js';
import { manualLifecycle, memoryStorage, seededRandom } from './test-doubles.js';

/**
 * For the enclosing `describe`: a simulator of `room` on a manual clock behind a worker
 * answering `endpoint` (started before the suite, stopped after), and engines that stop after
 * each test.
 *
 * @param line - where the simulated line starts (`issued`, `serving`, …)
 * @param seed - the seed of the engines' random source (its draws are in `random.drawn`)
 */
export function useMswEngine(
  endpoint: string,
  room: string,
  line: QueueSimulatorOptions,
  seed: number,
) {
  const clock = createManualClock();
  const simulator = createQueueSimulator({ ...line, room, now: clock.now });
  const random = seededRandom(seed);
  let worker: SetupWorker;
  let engine: QueueEngine | null = null;

  before(async () => {
    worker = await startMockWorker(simulator, { baseUrl: endpoint, quiet: true });
  });
  after(() => worker.stop());
  afterEach(() => engine?.stop());

  return {
    clock,
    simulator,
    random,
    /** Starts an engine over the worker (with in-memory storage and a manual lifecycle). */
    start(overrides: Partial<QueueEngineOptions> = {}): QueueEngine {
      engine = createQueueEngine({
        endpoint,
        room,
        storage: memoryStorage(),
        clock,
        random,
        lifecycle: manualLifecycle(),
        coordinator: null,
        ...overrides,
      });
      engine.start();
      return engine;
    },
    snapshot: (): QueueSnapshot => engine!.getSnapshot(),
    /** Resolves once the started engine's snapshot satisfies `predicate`. */
    settle: (predicate: (snapshot: QueueSnapshot) => boolean, what: string) =>
      untilSnapshot(engine!, predicate, what, { timeoutMs: 5000 }),
  };
}
