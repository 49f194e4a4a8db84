/**
 * The wait as one phrase of a language, from the core's rounded range (`wait-range.ts`): the
 * rounding rules are the core's, tested once; a translation only words them. An estimate from
 * before the connection failed says so.
 */
import type { QueueSnapshot } from '../core/types.js';
import type { WaitRange } from '../core/wait-range.js';
import type { Localizer, Translation } from './localize.js';

/**
 * @param range - the rounded wait
 * @param t - the language's strings
 * @param number - formats a count for the language
 * @param time - formats a local clock time (with the date when not today)
 * @returns e.g. "About 45–90 min", "Less than 2 min", "About 13–26 hours, around 9:15 AM"
 */
export function waitPhrase(
  range: WaitRange,
  t: Translation,
  number: (value: number) => string,
  time: (epochMs: number) => string,
): string {
  switch (range.kind) {
    case 'unknown':
      return t.etaUnknown;
    case 'soon':
      return t.etaSoon;
    case 'under':
      return t.etaUnder(number(range.high));
    case 'minutes':
      return t.etaMinutes(number(range.low), number(range.high));
    case 'hours':
      return t.etaHours(number(range.low), number(range.high));
    case 'long':
      return t.etaLong(number(range.low), number(range.high), time(range.around));
  }
}

/** With no answer for this long while requests fail, the estimate is marked as out of date. */
export const STALE_ESTIMATE_MS = 60_000;

/**
 * The estimate shown for `s` at `now`: the phrase, or, when requests have been failing and the
 * last answer is older than {@link STALE_ESTIMATE_MS} (the slowest poll interval: at least one
 * answer was missed), that phrase marked as the last known one.
 *
 * @example
 * ```ts
 * estimateText(snapshot, localizer, Date.now()); // "Last known: about 5–10 min. We’ll update…"
 * ```
 */
export function estimateText(s: QueueSnapshot, l: Localizer, now: number): string {
  const phrase = l.estimate(s.estimate, now);
  const stale =
    s.problem !== null &&
    s.estimate.maxMs !== null &&
    s.lastUpdatedAt !== null &&
    now - s.lastUpdatedAt > STALE_ESTIMATE_MS;
  return stale ? l.t.etaStale(phrase) : phrase;
}
