/**
 * The wait estimate rounded into a range a person can use. `estimateWait` gives honest bounds
 * in milliseconds (0.75x–1.5x of the point estimate); shown raw they read badly: "0–2 hours"
 * for an hour and a half, "0–2 min" for one, "more than a day" for 13–26 hours. So:
 * - under a minute is said as such;
 * - a range never starts at 0: when its low end rounds to nothing, it is "less than N min";
 * - minutes are rounded to steps that grow with the wait (1, 5, then 15 min: "about 45–90 min");
 * - long waits (over {@link CLOCK_TIME_AFTER_MS}) also get the clock time they are expected to
 *   end at ("around 3:45 PM"), because "13–26 hours" is hard to plan around.
 */
import type { WaitEstimate } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Waits whose upper bound is at most this are said in minutes. */
export const MINUTES_UP_TO_MS = 2 * HOUR;
/** Waits whose upper bound is over this also get the expected clock time. */
export const CLOCK_TIME_AFTER_MS = 4 * HOUR;
/** The expected clock time of a long wait is rounded to this. */
export const CLOCK_TIME_STEP_MS = 15 * MINUTE;

/** A wait as it is said; the numbers are whole minutes or hours, `around` epoch ms. */
export type WaitRange =
  | { kind: 'unknown' }
  /** Less than a minute (also when the turn has come). */
  | { kind: 'soon' }
  /** Less than `high` minutes: the low end rounds to nothing. */
  | { kind: 'under'; high: number }
  | { kind: 'minutes'; low: number; high: number }
  | { kind: 'hours'; low: number; high: number }
  /** `low`–`high` hours, expected to end around `around`. */
  | { kind: 'long'; low: number; high: number; around: number };

/** The step minutes are rounded to for a wait of at most `highMinutes`. */
function minuteStep(highMinutes: number): number {
  if (highMinutes <= 10) return 1;
  if (highMinutes <= 60) return 5;
  return 15;
}

/** `low`–`high` in whole `unit`s, the low end floored and the high end ceiled to `step`. */
function rounded(minMs: number, maxMs: number, unit: number, step: number) {
  const high = Math.ceil(maxMs / unit / step) * step;
  const low = Math.min(Math.floor(minMs / unit / step) * step, high - step);
  return { low, high };
}

/**
 * @param estimate - the engine's estimate (see `estimateWait`)
 * @param now - the current time (epoch ms): long waits are said as a clock time from it
 * @returns the range to say
 * @example
 * ```ts
 * roundWait({ minMs: 45 * 60_000, maxMs: 90 * 60_000 }, Date.now()); // { kind: 'minutes', low: 45, high: 90 }
 * ```
 */
export function roundWait(estimate: WaitEstimate, now: number): WaitRange {
  const { maxMs } = estimate;
  if (maxMs === null) return { kind: 'unknown' };
  if (maxMs < MINUTE) return { kind: 'soon' };
  const minMs = Math.min(Math.max(0, estimate.minMs ?? 0), maxMs);
  if (maxMs <= MINUTES_UP_TO_MS) {
    const step = minuteStep(Math.ceil(maxMs / MINUTE));
    const { low, high } = rounded(minMs, maxMs, MINUTE, step);
    return low <= 0 ? { kind: 'under', high } : { kind: 'minutes', low, high };
  }
  const { low, high } = rounded(minMs, maxMs, HOUR, 1);
  // Over two hours the low end is at least one hour (a range of 0–N hours says nothing).
  const hours = { low: Math.max(1, low), high: Math.max(2, high) };
  if (maxMs <= CLOCK_TIME_AFTER_MS) return { kind: 'hours', ...hours };
  // The geometric middle of the range said: it is a ratio around the point estimate.
  const middleMs = Math.sqrt(hours.low * hours.high) * HOUR;
  const around = Math.round((now + middleMs) / CLOCK_TIME_STEP_MS) * CLOCK_TIME_STEP_MS;
  return { kind: 'long', ...hours, around };
}
