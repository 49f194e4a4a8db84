/**
 * Records every process of a shared store must see alike, apart from the queue itself: the
 * count of new places per client (the optional join limit) and the room's fairness series.
 *
 * Why in the store: under Redis, N processes that each kept their own would allow the join
 * limit N times and publish N different fairness series. Both are bounded: a client's count
 * lives one window, a room keeps its last samples only.
 */

/** What {@link QueueStore.countNewPlace} decided. */
export interface NewPlaceCount {
  /** True when the place was counted (within the limit). */
  allowed: boolean;
  /** Refused: ms until the window ends (at least 1); 0 when allowed. */
  retryAfterMs: number;
}

/** One point of a room's line over time. */
export interface FairnessPoint {
  at: number;
  serving: number;
  issued: number;
}

/** Admissions (claims) made in one minute (epoch ms of its start). */
export interface AdmissionMinute {
  minute: number;
  count: number;
}

/** What {@link QueueStore.recordFairness} adds to a room's series. */
export interface FairnessEntry {
  /** A new sample with its signed snapshot, or null to merge `minutes` only. */
  sample: (FairnessPoint & { snapshot: string }) | null;
  /** Counts seen now: each minute keeps the highest count ever recorded for it. */
  minutes: AdmissionMinute[];
  /** Minutes before this one are dropped. */
  oldestMinute: number;
}

/** How a room's series is bounded. */
export interface FairnessBounds {
  /** A sample is appended only if the last one is at least this much older (0: always). */
  minGapMs: number;
  maxSamples: number;
  maxSnapshots: number;
}

/** A room's series as stored, oldest first. */
export interface FairnessSeries {
  points: FairnessPoint[];
  snapshots: string[];
  minutes: AdmissionMinute[];
}

/** What {@link QueueStore.recordFairness} answers. */
export interface FairnessAppend {
  /** Whether `entry.sample` was appended. */
  appended: boolean;
  /** `at` of the room's last sample now (null when it has none). */
  lastAt: number | null;
}

/** Start of the fixed window of `windowMs` that holds `now`. */
export const windowStartOf = (now: number, windowMs: number): number => now - (now % windowMs);

/** The answer to a count in the window starting at `start` (refused: until its end). */
export function newPlaceCount(
  allowed: boolean,
  start: number,
  windowMs: number,
  now: number,
): NewPlaceCount {
  return { allowed, retryAfterMs: allowed ? 0 : Math.max(1, start + windowMs - now) };
}
