/**
 * Node-only: the background loops of a running server. Admission control ticks under the
 * store's lease (only one process of many moves the line) and counters and signing keys are
 * flushed now and then. A run that is still going when the next is due is skipped.
 */
import { tickUnderLease } from './lease-ticker.js';
import type { Lease } from './lease.js';
import type { QueueService } from './queue-service.js';

/** What {@link startServerLoops} runs. */
export interface ServerLoopOptions {
  /** How often admission control runs, in ms (0 never). */
  tickIntervalMs: number;
  /** How often {@link ServerLoopOptions.flush} runs, in ms (0 never). */
  flushIntervalMs: number;
  /** The lease of admission control. */
  tickerLease: Lease;
  service: Pick<QueueService, 'tick' | 'refreshRates'>;
  /** Saves what lives in memory (counters, rotated keys). */
  flush: () => Promise<unknown>;
  logError: (message: string, error: unknown) => void;
}

/**
 * Runs `job` every `ms` milliseconds without overlapping itself; a failure is logged, not thrown.
 *
 * @returns the timer, or null when `ms` is 0 or less
 * @example
 * ```ts
 * const timer = every(1000, () => service.tick(), 'admission control', console.error);
 * ```
 */
export function every(
  ms: number,
  job: () => Promise<unknown>,
  what: string,
  logError: (message: string, error: unknown) => void,
): ReturnType<typeof setInterval> | null {
  if (ms <= 0) return null;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job()
      .catch((error: unknown) => logError(`queue-gate: ${what} failed`, error))
      .finally(() => {
        running = false;
      });
  }, ms);
  timer.unref();
  return timer;
}

/**
 * Starts the ticker and the flush loop.
 *
 * @returns a function that stops both
 * @example
 * ```ts
 * const stop = startServerLoops({ tickIntervalMs: 1000, flushIntervalMs: 5000, ... });
 * stop();
 * ```
 */
export function startServerLoops(options: ServerLoopOptions): () => void {
  const timers = [
    every(
      options.tickIntervalMs,
      () => tickUnderLease(options.tickerLease, options.service),
      'admission control',
      options.logError,
    ),
    every(options.flushIntervalMs, options.flush, 'flush', options.logError),
  ];
  return () => {
    for (const timer of timers) if (timer) clearInterval(timer);
  };
}
