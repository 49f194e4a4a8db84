/**
 * How far `serving` may move right now: a pure function of a room's state and the time.
 *
 * Why claims and not issued numbers: the booking system can take `admitPerMinute` bookings,
 * and only a visitor who claims an admission books. Counting numbers passed by `serving`
 * would spend the budget on visitors who walked away. So:
 * - a seq passed by `serving` but not yet claimed is *pending* for a short grace; it holds a
 *   slot because its visitor is probably about to claim; after the grace it holds nothing
 *   (the visitor may still claim within `holdSeconds`, and then counts as a claim);
 * - new turns are paced by a credit that grows by `admitPerMinute / 60` each second up to a
 *   burst of a sixth of the minute (10 s worth), so a minute is spread instead of let through at
 *   once; a turn that passes its grace unclaimed gives its credit back, which is what makes a
 *   walked-away visitor cost no slot: the next visitor is called in their place;
 * - as a hard cap, claims of the last 60 s never exceed `admitPerMinute`;
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

/** The pacing credit carried from one decision to the next. */
export interface AdmissionPace {
  /** Turns that may be called now. */
  credit: number;
  /** When the credit was computed, epoch ms. */
  at: number;
}

/** What admission control looks at. */
export interface AdmissionControlInput {
  now: number;
  config: Pick<RoomConfig, 'admitPerMinute' | 'maxActive' | 'opensAt' | 'holdSeconds'>;
  status: RoomStatus;
  serving: number;
  issued: number;
  claims: readonly ClaimRecord[];
  advances: readonly Pick<AdvanceRecord, 'at' | 'serving'>[];
  /** Grace after a turn during which an unclaimed seq still holds a slot, in ms. */
  claimGraceMs: number;
  /** The previous decision's pace; null starts with a full burst. */
  pace: AdmissionPace | null;
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
  /** The pace to pass to the next decision. */
  pace: AdmissionPace;
}

/** Counts the live figures of a room (also used for the admin stats). */
export function admissionFigures(
  input: Pick<
    AdmissionControlInput,
    'now' | 'serving' | 'issued' | 'claims' | 'advances' | 'claimGraceMs'
  >,
): { pending: number; active: number; claimsLastMinute: number } {
  const { now, claims } = input;
  const top = Math.min(input.serving, input.issued);
  const bottom = Math.min(servingAt(input.advances, now - input.claimGraceMs), top);
  return {
    pending: unclaimedBetween(claims, bottom, top),
    active: claims.filter((claim) => !claim.consumed && claim.expiresAt > now).length,
    claimsLastMinute: claims.filter((claim) => claim.claimedAt > now - MINUTE_MS).length,
  };
}

/**
 * Slots a claim for `seq` must leave free under `maxActive`: the turns that came within the
 * grace and were not claimed yet, other than `seq` itself. A visitor who claims after the
 * grace then waits for a free slot instead of pushing the booking site past `maxActive`.
 */
export function reservedForOthers(
  input: Pick<
    AdmissionControlInput,
    'now' | 'serving' | 'issued' | 'claims' | 'advances' | 'claimGraceMs'
  >,
  seq: number,
): number {
  const top = Math.min(input.serving, input.issued);
  const bottom = Math.min(servingAt(input.advances, input.now - input.claimGraceMs), top);
  const pending = unclaimedBetween(input.claims, bottom, top);
  const selfPending =
    seq > bottom && seq <= top && !input.claims.some((claim) => claim.seq === seq) ? 1 : 0;
  return pending - selfPending;
}

/** Seqs in (from, to] without a claim. */
function unclaimedBetween(claims: readonly ClaimRecord[], from: number, to: number): number {
  if (to <= from) return 0;
  const claimed = claims.filter((claim) => claim.seq > from && claim.seq <= to).length;
  return Math.max(0, to - from - claimed);
}

/** The credit now: refilled by the elapsed time and by turns whose grace ran out unclaimed. */
function refill(input: AdmissionControlInput, burst: number): number {
  const { pace, now, advances, claimGraceMs } = input;
  if (pace === null) return burst;
  const perMs = input.config.admitPerMinute / MINUTE_MS;
  const top = Math.min(servingAt(advances, now - claimGraceMs), input.issued);
  const from = Math.min(servingAt(advances, pace.at - claimGraceMs), top);
  const walkedAway = unclaimedBetween(input.claims, from, top);
  return Math.min(burst, pace.credit + Math.max(0, now - pace.at) * perMs + walkedAway);
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
  const burst = Math.max(1, Math.ceil(input.config.admitPerMinute / 6));
  const credit = input.config.admitPerMinute > 0 ? refill(input, burst) : 0;
  const decide = (reason: AdmissionControlReason, advanceBy = 0): AdmissionControlDecision => ({
    serving: input.serving + advanceBy,
    advanceBy,
    reason,
    pending: figures.pending,
    active: figures.active,
    claimsLastMinute: figures.claimsLastMinute,
    pace: { credit: credit - advanceBy, at: input.now },
  });
  if (input.status === 'paused') return decide('paused');
  if (input.status === 'closed') return decide('closed');
  if (input.config.opensAt !== null && input.now < input.config.opensAt) return decide('not_open');
  const perMinute = input.config.admitPerMinute;
  if (perMinute <= 0) return decide('manual_only');
  const waiting = input.issued - input.serving;
  if (waiting <= 0) return decide('line_empty');

  const byRate = Math.min(Math.floor(credit), perMinute - figures.claimsLastMinute);
  const maxActive = input.config.maxActive;
  const byActive = maxActive === null ? Infinity : maxActive - figures.active - figures.pending;
  const advanceBy = Math.max(0, Math.min(byRate, byActive, waiting));
  if (advanceBy > 0) return decide('advance', advanceBy);
  return decide(byActive <= 0 && byActive <= byRate ? 'max_active' : 'rate_limit');
}
