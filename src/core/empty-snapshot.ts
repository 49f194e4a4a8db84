/**
 * The snapshot of an engine that knows nothing yet: idle, no place, no line. What
 * `createQueueEngine` shows before `start()`, and the base every fake engine builds on.
 */
import { initialMachineState } from './machine-state.js';
import { snapshotOf } from './queue-snapshot.js';
import type { QueueSnapshot } from './types.js';

/**
 * The idle snapshot of `room` at `endpoint`.
 *
 * @example
 * ```ts
 * const fake: QueueSnapshot = { ...emptySnapshot('demo', 'https://queue.test'), status: 'waiting', seq: 41 };
 * ```
 */
export function emptySnapshot(room: string, endpoint: string, isLeader = false): QueueSnapshot {
  return snapshotOf(initialMachineState, { room, endpoint, isLeader, position: null });
}
