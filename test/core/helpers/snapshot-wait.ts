/**
 * Waiting for an engine's snapshot, for tests in the browser and in Node alike (nothing here
 * needs either): the engine's requests and storage work settle in real time, so tests poll.
 */
import type { QueueEngine, QueueSnapshot } from '../../../src/core/types.js';

/** Options of {@link untilSnapshot}. */
export interface UntilSnapshotOptions {
  /** Give up after this long (default 3 s). */
  timeoutMs?: number;
  /** Pause between checks (default 5 ms). */
  intervalMs?: number;
}

/**
 * Resolves with `engine`'s snapshot once it satisfies `predicate`.
 *
 * @throws Error naming `what` and the last snapshot when it does not within the timeout
 */
export async function untilSnapshot(
  engine: QueueEngine,
  predicate: (snapshot: QueueSnapshot) => boolean,
  what: string,
  { timeoutMs = 3000, intervalMs = 5 }: UntilSnapshotOptions = {},
): Promise<QueueSnapshot> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(engine.getSnapshot())) {
    if (Date.now() > deadline) {
      throw new Error(`${what}; last snapshot: ${JSON.stringify(engine.getSnapshot())}`);
    }
    await new Promise((resume) => setTimeout(resume, intervalMs));
  }
  return engine.getSnapshot();
}
