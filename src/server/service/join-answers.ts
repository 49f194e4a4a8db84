/**
 * What a join answers: a pre-open ticket (no place yet), or a place with where the line stands.
 * Shared by the anonymous join (`join.ts`) and the join of a signed-in person
 * (`join-identity.ts`), so both answer alike.
 */
import { POLL_BOUNDS, pollIntervalFor } from '../../protocol.js';
import type { JoinResponse } from '../../protocol.js';
import type { RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';
import { basePoll, visitorRate } from './poll.js';
import { cohortClaim } from './tickets.js';

/** A ticket for a place, as the join answers it. */
export interface Held {
  token: string;
  seq: number;
  expiresAt: number;
  cohort: string | undefined;
  /** The room as it is after this join (re-read when the join changed it). */
  record: RoomRecord;
}

/** The answer for a pre-open ticket: no place yet, come back shortly after the opening. */
export function preOpenAnswer(
  { now }: ServiceContext,
  record: RoomRecord,
  token: string,
  expiresAt: number,
  cohort: string | undefined,
): JoinResponse {
  const at = now();
  const opensAt = record.config.opensAt ?? at;
  // Coming back exactly at the opening gains nothing (the draw does not reward it), so the
  // client is told to ask again shortly after it, bounded like any poll.
  const untilOpen = Math.min(
    POLL_BOUNDS.maxMs,
    Math.max(basePoll(record, at), opensAt - at + POLL_BOUNDS.minMs),
  );
  return {
    ticket: token,
    seq: 0,
    serving: record.serving,
    position: 0,
    ratePerSec: 0,
    pollAfterMs: untilOpen,
    ticketExpiresAt: expiresAt,
    holdSeconds: record.config.holdSeconds,
    status: record.status,
    serverTime: at,
    pre: true,
    opensAt,
    ...cohortClaim(cohort),
  };
}

/** The answer for a place held (or for a pre-open ticket, already complete). */
export async function placeAnswer(
  context: ServiceContext,
  outcome: Held | JoinResponse,
): Promise<JoinResponse> {
  // A pre-open ticket's answer is complete as it is: it holds no place to report yet.
  if (!('record' in outcome)) return outcome;
  const { token, seq, expiresAt, cohort, record: after } = outcome;
  const rate = await visitorRate(context.rateOf, after, context.now());
  const position = Math.max(0, seq - after.serving);
  return {
    ticket: token,
    seq,
    serving: after.serving,
    position,
    ratePerSec: rate,
    pollAfterMs: pollIntervalFor(position, rate, basePoll(after, context.now())),
    ticketExpiresAt: expiresAt,
    holdSeconds: after.config.holdSeconds,
    status: after.status,
    serverTime: context.now(),
    ...(after.config.opensAt !== null ? { opensAt: after.config.opensAt } : {}),
    ...cohortClaim(cohort),
  };
}
