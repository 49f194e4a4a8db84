/**
 * Reading a room's recorded moves of `serving`: where it stood at a time, when a seq's turn
 * came, how fast the line moves. Pure functions, shared by admission control and the routes.
 */
import type { AdvanceRecord } from './store/queue-store.js';

/** Window over which the reported rate is measured. */
export const RATE_WINDOW_MS = 60_000;

/** Where `serving` stood at time `at` (0 before any record). */
export function servingAt(advances: readonly AdvanceRecord[], at: number): number {
  let serving = 0;
  for (const advance of advances) {
    if (advance.at > at) break;
    serving = advance.serving;
  }
  return serving;
}

/**
 * When `serving` first reached `seq`, or null when it has not yet.
 * When the first record already covers `seq`, its time is returned: the turn came then or earlier.
 */
export function turnTimeOf(advances: readonly AdvanceRecord[], seq: number): number | null {
  for (const advance of advances) {
    if (advance.serving >= seq) return advance.at;
  }
  return null;
}

/** Places per second `serving` moved over the last minute, rounded to 1/1000. */
export function measuredRate(
  advances: readonly AdvanceRecord[],
  serving: number,
  now: number,
): number {
  const moved = serving - servingAt(advances, now - RATE_WINDOW_MS);
  if (moved <= 0) return 0;
  return Math.round((moved / (RATE_WINDOW_MS / 1000)) * 1000) / 1000;
}
