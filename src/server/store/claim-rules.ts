/**
 * The claim rules both stores apply, written once in TypeScript (the Redis scripts apply the
 * same rules in Lua, and the store contract suite proves both agree):
 * - an unexpired or consumed claim holds its seq; an expired, unconsumed one may be replaced;
 * - an expired admission is never handed out again: it reads back as an empty string;
 * - a booked place reads as consumed, even once its claim was dropped;
 * - an expired claim is dropped once it is older than the room's hold window (at least
 *   `CLAIM_MIN_KEEP_MS`).
 */
import type { ClaimRecord } from './queue-store.js';
import { claimCutoff, RETENTION } from './store-policy.js';

/** Whether `existing` still holds its seq at `now` (so a new claim for it is not recorded). */
export function claimHolds(existing: Pick<ClaimRecord, 'expiresAt' | 'consumed'>, now: number) {
  return existing.expiresAt > now || existing.consumed;
}

/** A copy of `claim` as a read at `now` shows it: an expired admission is blanked. */
export function shownClaim(claim: ClaimRecord, now: number): ClaimRecord {
  return { ...claim, admission: claim.expiresAt > now ? claim.admission : '' };
}

/** What a booked place whose claim was already dropped reads as. */
export function bookedClaim(seq: number): ClaimRecord {
  return { seq, sub: '', jti: '', admission: '', claimedAt: 0, expiresAt: 0, consumed: true };
}

/** A claim as read back for a place: `claim` (or null), consumed when the place is booked. */
export function claimOfPlace(
  seq: number,
  claim: ClaimRecord | null,
  booked: boolean,
  now: number,
): ClaimRecord | null {
  const shown = claim === null ? null : shownClaim(claim, now);
  if (!booked) return shown;
  return { ...(shown ?? bookedClaim(seq)), consumed: true };
}

/** Whether `claim` may be dropped at `now` in a room holding turns `holdSeconds` long. */
export function claimPrunable(
  claim: Pick<ClaimRecord, 'expiresAt' | 'claimedAt'>,
  holdSeconds: number,
  now: number,
  policy = RETENTION,
): boolean {
  return claim.expiresAt <= now && claim.claimedAt <= claimCutoff(holdSeconds, now, policy);
}
