/**
 * A stand-in for "whichever simulator the current scenario made". The service worker's handlers
 * are registered once, when the page starts, but each scenario needs a simulator of its own:
 * only a simulator created with a scenario's line (`createQueueSimulator(options)`) seeds the
 * server's history so that the rate it measures and reports is the scenario's. One reset to an
 * empty room and then moved to the scenario's `serving` in a single jump reports that jump as
 * the rate (1,200 places in a moment: 20 a second instead of 2), and the waiting screen then
 * runs the visitor to the front in three seconds.
 */
import type { QueueSimulator } from '../src/mocks/queue-simulator.js';

/**
 * A simulator that forwards every call and property read to `current()` at the time of the
 * call, so handlers and engines made once keep answering from the scenario on stage now.
 *
 * @param current - the simulator to use at each call
 * @returns the forwarding simulator
 * @example
 * ```ts
 * let simulator = createQueueSimulator(SCENARIOS.normal.options);
 * const worker = setupWorker(...createHandlers(forwardingSimulator(() => simulator)));
 * simulator = createQueueSimulator(SCENARIOS.surge.options); // the worker now answers from it
 * ```
 */
export function forwardingSimulator(current: () => QueueSimulator): QueueSimulator {
  // The simulator's methods are closures (none reads `this`), so forwarding the read is enough.
  return new Proxy({} as QueueSimulator, {
    get: (_target, key) => Reflect.get(current(), key) as unknown,
  });
}
