/**
 * The position a visitor sees. Between polls it moves with the reported rate so the screen
 * feels alive without extra requests; it is capped so a stalled line is not shown as moving
 * for long, and it never goes up: a stale CDN answer or a slower line than extrapolated must
 * not tell someone they were moved back.
 */
import type { WaitEstimate } from './types.js';

/** What is known about the line, as data (kept in the machine's state). */
export interface PositionTrack {
  seq: number;
  /** Highest `serving` seen. */
  serving: number;
  ratePerSec: number;
  /** When `serving` was observed (epoch ms). */
  observedAt: number;
  /** How far ahead of the last answer the estimate may run (ms), e.g. one poll interval. */
  horizonMs: number;
  /** The lowest position shown so far: the estimate never rises above it. */
  floor: number;
}

/** Starts a track for a visitor at `seq`. */
export function createPositionTrack(input: {
  seq: number;
  serving: number;
  ratePerSec: number;
  at: number;
  horizonMs: number;
}): PositionTrack {
  const floor = Math.max(0, input.seq - input.serving);
  return { ...input, observedAt: input.at, floor };
}

/**
 * The position at `now`: `seq - serving`, moved forward by `ratePerSec` for at most
 * `horizonMs`, never below 0 and never above a position already shown.
 */
export function positionAt(track: PositionTrack, now: number): number {
  const elapsed = Math.min(Math.max(0, now - track.observedAt), track.horizonMs);
  const moved = Math.floor((track.ratePerSec * elapsed) / 1000);
  return Math.max(0, Math.min(track.floor, track.seq - track.serving - moved));
}

/**
 * Folds a new answer into the track. `serving` only grows (answers can arrive out of order or
 * from a stale cache); the floor keeps whatever was already shown.
 */
export function observeServing(
  track: PositionTrack,
  input: { serving: number; ratePerSec: number; at: number; horizonMs: number },
): PositionTrack {
  const floor = positionAt(track, input.at);
  return {
    seq: track.seq,
    serving: Math.max(track.serving, input.serving),
    ratePerSec: input.ratePerSec,
    observedAt: input.at,
    horizonMs: input.horizonMs,
    floor,
  };
}

/**
 * An honest range for the wait: the line's rate is a recent average, it drifts, and people
 * ahead who walked away speed it up. The range is therefore wide (0.75x–1.5x of the point
 * estimate) and both bounds are null when the rate is unknown or zero, rather than a made-up
 * number.
 */
export function estimateWait(position: number | null, ratePerSec: number): WaitEstimate {
  if (position === null) return { minMs: null, maxMs: null };
  if (position <= 0) return { minMs: 0, maxMs: 0 };
  if (!(ratePerSec > 0)) return { minMs: null, maxMs: null };
  const pointMs = (position / ratePerSec) * 1000;
  return { minMs: Math.round(pointMs * 0.75), maxMs: Math.round(pointMs * 1.5) };
}
