/**
 * Ticket lifetime rules: when a rejoin re-signs a ticket, how long a pre-open ticket lives, and
 * how a cohort rides along in the claims.
 */
import type { TicketClaims } from '../../protocol.js';
import type { RoomRecord } from '../store/queue-store.js';

/**
 * A ticket is re-signed (same place, later `exp`) on a rejoin once less than this share of its
 * life is left, so a visitor who waits longer than a ticket lives never holds an expired one.
 */
const REFRESH_WHEN_LEFT = 0.5;
/** A pre-open ticket outlives the opening by the hold window and this much more. */
const PRE_OPEN_MARGIN_SECONDS = 60 * 60;

/** The `cohort` claim of a token, or nothing for a room without cohorts. */
export const cohortClaim = (cohort: string | undefined): { cohort?: string } =>
  cohort === undefined ? {} : { cohort };

/** Whether a rejoin at `at` should get a re-signed ticket. */
export const refreshDue = (claims: TicketClaims, at: number): boolean =>
  claims.exp * 1000 - at < (claims.exp - claims.iat) * 1000 * REFRESH_WHEN_LEFT;

/** When a pre-open ticket may expire at the earliest, epoch seconds. */
export function preOpenExpiry(record: RoomRecord, at: number): number {
  const opensAt = record.config.opensAt ?? at;
  return Math.ceil(opensAt / 1000) + record.config.holdSeconds + PRE_OPEN_MARGIN_SECONDS;
}

/** The `idh` claim of a token, or nothing for a place bound to nobody. */
export const idhClaim = (idh: string | undefined): { idh?: string } =>
  idh === undefined ? {} : { idh };
