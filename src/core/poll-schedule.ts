/**
 * When to ask the server next. Two kinds of delay:
 *
 * - Polls while things work: the server's interval, scaled by distance from the front (far
 *   visitors learn nothing from frequent polls), with jitter so that a crowd that joined in the
 *   same second does not poll in the same second forever.
 * - Retries after failures: exponential backoff with FULL jitter. A server that just fell over
 *   is hit by everyone's retry at once; spreading each retry uniformly over [0, window] (rather
 *   than window ± a little) is what actually flattens that herd, and `Retry-After` is a floor.
 */
import { POLL_BOUNDS, pollIntervalFor } from '../protocol.js';
import type { RoomStatus } from '../protocol.js';

/** Backoff after failures: first window, and the most it grows to (milliseconds). */
export const BACKOFF = { baseMs: 1000, capMs: 60_000 } as const;

/** Polls of a paused or closed room are spaced at least this far: nothing moves there. */
export const SLOW_POLL_MS = 15_000;

/** Inputs of {@link pollDelay}. */
export interface PollDelayInput {
  /** The server's interval: a state answer's base (`scaled: true`) or a join answer's own. */
  pollAfterMs: number;
  /** Whether `pollAfterMs` is the room's base interval that still needs scaling by distance. */
  scaled: boolean;
  /** Places ahead of the visitor. */
  position: number;
  ratePerSec: number;
  roomStatus: RoomStatus;
  /** A uniform random number in [0, 1). */
  random: number;
}

/** Spread of {@link openingDelay} (milliseconds). */
export const OPENING_SPREAD_MS = 5000;

/** `ms` within the protocol's poll bounds (a value that is not a number counts as 0). */
export const clampPollMs = (ms: number): number =>
  Math.min(POLL_BOUNDS.maxMs, Math.max(POLL_BOUNDS.minMs, Number.isFinite(ms) ? ms : 0));

/**
 * The delay before the next poll.
 *
 * Jitter is uniform in 0.5x–1.5x of the interval: its mean is exactly the interval, so the
 * server sees the load it asked for, while clients that joined together drift apart within a
 * few polls. Full jitter (0–1x) would halve the mean interval and double the load.
 *
 * @example
 * ```ts
 * pollDelay({ pollAfterMs: 2000, scaled: true, position: 500, ratePerSec: 5,
 *   roomStatus: 'open', random: Math.random() });
 * ```
 */
export function pollDelay(input: PollDelayInput): number {
  let interval = input.scaled
    ? pollIntervalFor(input.position, input.ratePerSec, clampPollMs(input.pollAfterMs))
    : clampPollMs(input.pollAfterMs);
  if (input.roomStatus !== 'open') interval = Math.max(interval, SLOW_POLL_MS);
  interval = Math.min(interval, POLL_BOUNDS.maxMs);
  return Math.round(interval * (0.5 + input.random));
}

/**
 * The delay before acting on an opening `untilMs` ahead (a room's or a cohort's), spread
 * uniformly over the next {@link OPENING_SPREAD_MS}, within the poll bounds: a crowd waiting for
 * the same instant does not all come in it, and being first there earns nothing anyway.
 *
 * @example
 * ```ts
 * openingDelay(20_000, Math.random()); // 20 000–25 000 ms
 * ```
 */
export function openingDelay(untilMs: number, random: number): number {
  return clampPollMs(untilMs + Math.floor(random * OPENING_SPREAD_MS));
}

/** The backoff window after `attempt` consecutive failures (0 for the first one). */
export function backoffWindow(attempt: number): number {
  return Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
}

/** Inputs of {@link retryDelay}. */
export interface RetryDelayInput {
  /** Consecutive failures before this one (0 for the first). */
  attempt: number;
  /** The server's `Retry-After`, in ms, or null. */
  retryAfterMs: number | null;
  /** A uniform random number in [0, 1). */
  random: number;
  /**
   * The visitor's own next poll delay (a {@link pollDelay}, jittered), for a failed poll; the
   * retry comes no sooner. 0 or absent for requests that should not wait that long.
   */
  pollFloorMs?: number;
}

/**
 * The delay before retrying after a failure: uniform in [0, min(cap, base·2^attempt)], and
 * never sooner than the server's `Retry-After`. The jitter is added on top of `Retry-After`
 * rather than replaced by it, because every client got the same `Retry-After`; without the
 * added spread they would all come back in the same instant.
 *
 * A failed poll also waits at least its own poll delay (`pollFloorMs`): the crowd's polls that
 * failed during a restart then return spread over their usual intervals, so the origin sees
 * about its steady load after the restart instead of a burst within the first backoff windows.
 *
 * @example
 * ```ts
 * retryDelay({ attempt: 2, retryAfterMs: null, random: Math.random() }); // 0–4000 ms
 * retryDelay({ attempt: 0, retryAfterMs: null, random: 0.5, pollFloorMs: 9000 }); // 9000 ms
 * ```
 */
export function retryDelay(input: RetryDelayInput): number {
  const jittered = Math.round(input.random * backoffWindow(input.attempt));
  const floor = input.retryAfterMs !== null && input.retryAfterMs > 0 ? input.retryAfterMs : 0;
  return Math.max(floor + jittered, Math.round(input.pollFloorMs ?? 0));
}
