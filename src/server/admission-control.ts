/**
 * How far `serving` may move right now: a pure function of a room's state and the time.
 *
 * Why claims and not issued numbers: the booking system can take `admitPerMinute` bookings,
 * and only a visitor who claims an admission books. Counting numbers passed by `serving`
 * would spend the budget on visitors who walked away. So:
 * - a seq passed by `serving` but not yet claimed is *pending* for a short grace; it holds a
 *   slot because its visitor is probably about to claim; after the grace it holds nothing
 *   (the visitor may still claim within `holdSeconds`, and then counts as a claim);
 * - claims of the last 60 s plus pending stay within `admitPerMinute`, and, to spread the
 *   minute instead of letting it through in one burst, claims of the last 10 s plus pending
 *   stay within a sixth of it;
 * - *active* admissions (claimed, unexpired, not consumed) plus pending stay within `maxActive`;
 * - `serving` never runs past `issued` by itself, and never moves while the room is paused,
 *   closed or before `opensAt`. `admitPerMinute: 0` leaves the line to the admin's `advance`.
 */
import type { RoomStatus } from '../protocol.js';
import { servingAt } from './room-timeline.js';
import type { AdvanceRecord, ClaimRecord, RoomConfig } from './store/queue-store.js';

/** Default grace (seconds) after which an unclaimed turn stops holding a slot. */
export const DEFAULT_CLAIM_GRACE_SECONDS = 15;

const MINUTE_MS = 60_000;
const BURST_WINDOW_MS = 10_000;

/** What admission control looks at. */
export interface AdmissionControlInput {
  now: number;
  config: Pick<RoomConfig, 'admitPerMinute' | 'maxActive' | 'opensAt' | 'holdSeconds'>;
  status: RoomStatus;
  serving: number;
  issued: number;
  claims: readonly ClaimRecord[];
  advances: readonly AdvanceRecord[];
  /** Grace after a turn during which an unclaimed seq still holds a slot, in ms. */
  claimGraceMs: number;
}

/** Why `serving` moves or not (for tests, logs and the admin stats). */
export type AdmissionControlReason =
  | 'advance'
  | 'paused'
  | 'closed'
  | 'not_open'
  | 'manual_only'
  | 'rate_limit'
  | 'max_active'
  | 'line_empty';

/** The decision, with the figures it was made from. */
export interface AdmissionControlDecision {
  /** The new `serving` (unchanged when nothing moves). */
  serving: number;
  advanceBy: number;
  reason: AdmissionControlReason;
  /** Seqs passed by `serving` within the grace and not claimed yet. */
  pending: number;
  /** Admissions claimed, unexpired and not consumed. */
  active: number;
  /** Claims during the last minute. */
  claimsLastMinute: number;
}

/** Counts the live figures of a room (also used for the admin stats). */
export function admissionFigures(
  input: Pick<
    AdmissionControlInput,
    'now' | 'serving' | 'issued' | 'claims' | 'advances' | 'claimGraceMs'
  >,
): { pending: number; active: number; claimsLastMinute: number; claimsLastBurst: number } {
  const { now, claims } = input;
  const top = Math.min(input.serving, input.issued);
  const bottom = Math.min(servingAt(input.advances, now - input.claimGraceMs), top);
  const claimedInRange = claims.filter((claim) => claim.seq > bottom && claim.seq <= top).length;
  return {
    pending: Math.max(0, top - bottom - claimedInRange),
    active: claims.filter((claim) => !claim.consumed && claim.expiresAt > now).length,
    claimsLastMinute: claims.filter((claim) => claim.claimedAt > now - MINUTE_MS).length,
    claimsLastBurst: claims.filter((claim) => claim.claimedAt > now - BURST_WINDOW_MS).length,
  };
}

/**
 * Decides how far `serving` moves now.
 *
 * @example
 * ```ts
 * const decision = admissionControl({ now, config, status, serving, issued, claims, advances, claimGraceMs: 15_000 });
 * if (decision.advanceBy > 0) await store.advanceServing(room, decision.serving, now);
 * ```
 */
export function admissionControl(input: AdmissionControlInput): AdmissionControlDecision {
  const figures = admissionFigures(input);
  const decide = (reason: AdmissionControlReason, advanceBy = 0): AdmissionControlDecision => ({
    serving: input.serving + advanceBy,
    advanceBy,
    reason,
    pending: figures.pending,
    active: figures.active,
    claimsLastMinute: figures.claimsLastMinute,
  });
  if (input.status === 'paused') return decide('paused');
  if (input.status === 'closed') return decide('closed');
  if (input.config.opensAt !== null && input.now < input.config.opensAt) return decide('not_open');
  const perMinute = input.config.admitPerMinute;
  if (perMinute <= 0) return decide('manual_only');
  const waiting = input.issued - input.serving;
  if (waiting <= 0) return decide('line_empty');

  const byMinute = perMinute - figures.claimsLastMinute - figures.pending;
  const byBurst = Math.ceil(perMinute / 6) - figures.claimsLastBurst - figures.pending;
  const byRate = Math.min(byMinute, byBurst);
  const maxActive = input.config.maxActive;
  const byActive = maxActive === null ? Infinity : maxActive - figures.active - figures.pending;
  const advanceBy = Math.max(0, Math.min(byRate, byActive, waiting));
  if (advanceBy > 0) return decide('advance', advanceBy);
  return decide(byActive <= 0 && byActive <= byRate ? 'max_active' : 'rate_limit');
}
