/**
 * The queue rules' numbers, defined once for every store: how long history is kept and how much
 * clock tolerance a used key gets. The embedded store and its journal read them here; the Redis
 * scripts receive them as ARGV (see `redis-scripts.ts`), so no window is written inside Lua.
 *
 * Why these windows: admission control measures the rate over one minute, and a claim must be
 * remembered for its room's hold window (a visitor who booked may not claim the same turn twice).
 */

/** One minute: the window of the measured rate. */
export const MINUTE_MS = 60_000;

/** A move of `serving` counts as held for at least this long (the measured rate needs it). */
export const ADVANCE_MIN_HOLD_MS = MINUTE_MS;
/** A move is dropped only once the move after it is this much older than its hold window. */
export const ADVANCE_GRACE_MS = MINUTE_MS;
/** Claims are kept at least this long after they were made (and for the room's hold window). */
export const CLAIM_MIN_KEEP_MS = MINUTE_MS;
/** Used keys outlive their expiry by this much, covering verifiers' clock tolerance. */
export const CONSUMED_TOLERANCE_MS = 5 * MINUTE_MS;
/** The embedded store sweeps expired history at most this often (a sweep walks every claim). */
export const SWEEP_EVERY_MS = 1000;

/** The retention windows as one value, in the order the Redis scripts take them as ARGV. */
export interface RetentionPolicy {
  advanceMinHoldMs: number;
  advanceGraceMs: number;
  claimMinKeepMs: number;
}

/** The policy every store uses. */
export const RETENTION: Readonly<RetentionPolicy> = Object.freeze({
  advanceMinHoldMs: ADVANCE_MIN_HOLD_MS,
  advanceGraceMs: ADVANCE_GRACE_MS,
  claimMinKeepMs: CLAIM_MIN_KEEP_MS,
});

/** {@link RETENTION} as the trailing ARGV of the Redis scripts that prune. */
export const retentionArgs = (policy: RetentionPolicy = RETENTION): number[] => [
  policy.advanceMinHoldMs,
  policy.advanceGraceMs,
  policy.claimMinKeepMs,
];

/**
 * Claims made at or before this time may be dropped at `now` once expired (the room's hold
 * window, at least {@link CLAIM_MIN_KEEP_MS}).
 */
export function claimCutoff(holdSeconds: number, now: number, policy = RETENTION): number {
  return now - Math.max(holdSeconds * 1000, policy.claimMinKeepMs);
}

/** Until when a key used now and valid until `expiresAtMs` is remembered. */
export function consumedKeepUntil(expiresAtMs: number, now: number): number {
  return Math.max(expiresAtMs, now) + CONSUMED_TOLERANCE_MS;
}
