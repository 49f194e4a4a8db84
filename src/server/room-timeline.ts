/**
 * Reading a room's recorded moves of `serving`: where it stood at a time, when a seq's turn
 * came, how fast the line moves. Pure functions, shared by admission control and the routes.
 */
import type { AdvanceRecord } from './store/queue-store.js';
import { RETENTION } from './store/store-policy.js';
import type { RetentionPolicy } from './store/store-policy.js';

/** Window over which the reported rate is measured. */
export const RATE_WINDOW_MS = 60_000;

/** Where `serving` stood at time `at` (0 before any record). */
export function servingAt(
  advances: readonly Pick<AdvanceRecord, 'at' | 'serving'>[],
  at: number,
): number {
  let serving = 0;
  for (const advance of advances) {
    if (advance.at > at) break;
    serving = advance.serving;
  }
  return serving;
}

/** When the line reached a seq, and how long that turn holds. */
export interface Turn {
  /** When `serving` first reached the seq, epoch ms. */
  at: number;
  /** The room's hold when it did, in seconds. */
  holdSeconds: number;
  /** When the hold ends, epoch ms: no admission for the seq is signed after it. */
  holdEndsAt: number;
}

/**
 * The move of `serving` that reached `seq`: null when `serving` has not reached it yet,
 * `'forgotten'` when it was reached before the oldest record kept. Stores keep the moves of the
 * longest hold window (and drop a move only once the next one's hold is over), so a forgotten
 * turn is one whose hold is over.
 */
export function turnOf(advances: readonly AdvanceRecord[], seq: number): Turn | 'forgotten' | null {
  const first = advances[0];
  if (first !== undefined && first.serving >= seq) return 'forgotten';
  for (const advance of advances) {
    if (advance.serving >= seq) {
      return {
        at: advance.at,
        holdSeconds: advance.holdSeconds,
        holdEndsAt: advance.at + advance.holdSeconds * 1000,
      };
    }
  }
  return null;
}

/**
 * How many of the oldest moves no rule needs any more at `now`: a move is dropped once the move
 * after it is older than its own hold window (at least `advanceMinHoldMs`, a minute, for the
 * measured rate) plus `advanceGraceMs` (a minute), so the first move kept says where `serving`
 * stood before every turn still held. The Redis scripts apply the same rule with the same
 * numbers (`PRUNE_ADVANCES` in `store/redis-scripts.ts`, given {@link RETENTION} as ARGV).
 */
export function prunableAdvances(
  advances: readonly AdvanceRecord[],
  now: number,
  policy: Pick<RetentionPolicy, 'advanceMinHoldMs' | 'advanceGraceMs'> = RETENTION,
): number {
  let drop = 0;
  while (drop + 1 < advances.length) {
    const next = advances[drop + 1]!;
    const held = Math.max(next.holdSeconds * 1000, policy.advanceMinHoldMs);
    if (next.at + held + policy.advanceGraceMs > now) break;
    drop += 1;
  }
  return drop;
}

/** Places per second `serving` moved over the last minute, rounded to 1/1000. */
export function measuredRate(
  advances: readonly Pick<AdvanceRecord, 'at' | 'serving'>[],
  serving: number,
  now: number,
): number {
  const moved = serving - servingAt(advances, now - RATE_WINDOW_MS);
  if (moved <= 0) return 0;
  return Math.round((moved / (RATE_WINDOW_MS / 1000)) * 1000) / 1000;
}
