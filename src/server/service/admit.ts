/**
 * Claiming admission: a ticket whose turn came gets a signed admission, the same one on every
 * retry while it is valid, within the room's hold and `maxActive`.
 */
import { LIMITS } from '../../protocol.js';
import type { AdmitResponse, TicketClaims } from '../../protocol.js';
import { reservedForOthers } from '../admission-control.js';
import { ApiError } from '../api-error.js';
import { refuseClosedCohort } from '../opening-gate.js';
import { countsReservedClaims } from '../store/claim-capacity.js';
import type { ClaimCapacity, ClaimRecord, RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';
import { refuseUnboundOrReleased } from './identity-rules.js';
import { cohortClaim, idhClaim } from './tickets.js';
import { drawnOrRefuse, heldTurn } from './turns.js';

/** How soon a visitor refused with `booking_full` is told to try again, in seconds. */
const BOOKING_FULL_RETRY_SECONDS = 3;

const alreadyUsed = (): ApiError =>
  new ApiError(409, 'admission_used', 'This place has already been used to book.');

/** The seq the opening draw gave a pre-open ticket; `not_your_turn` before the draw. */
async function preOpenSeq(
  { gate }: ServiceContext,
  record: RoomRecord,
  claims: TicketClaims,
  at: number,
): Promise<number> {
  const drawn = await gate.drawnSeq(record, claims.sub, at);
  if (drawn === 'not_drawn') {
    throw new ApiError(
      409,
      'not_your_turn',
      'The room has not opened yet; the draw decides the order then.',
    );
  }
  return drawnOrRefuse(drawn);
}

/** In a room with cohorts, a ticket is admitted only while its cohort's window is open. */
function checkAdmitCohort(record: RoomRecord, claims: TicketClaims, at: number): void {
  const cohorts = record.config.cohorts ?? [];
  if (cohorts.length === 0) return;
  const window = cohorts.find((candidate) => candidate.id === claims.cohort);
  if (window === undefined) {
    throw new ApiError(403, 'cohort_not_open', 'This ticket belongs to no cohort of this room.');
  }
  refuseClosedCohort(window, at);
}

/** The room's `maxActive` as a claim for `seq` must respect it, or undefined for no limit. */
async function capacityOf(
  { store, claimGraceMs }: ServiceContext,
  record: RoomRecord,
  seq: number,
  at: number,
): Promise<ClaimCapacity | undefined> {
  const maxActive = record.config.maxActive;
  if (maxActive === null) return undefined;
  if (countsReservedClaims(store)) {
    return {
      maxActive,
      reserved: await store.reservedForClaim(record.room, seq, at, claimGraceMs),
    };
  }
  const { claims, advances } = await store.getActivity(record.room, at);
  const reserved = reservedForOthers(
    { now: at, serving: record.serving, issued: record.issued, claims, advances, claimGraceMs },
    seq,
  );
  return { maxActive, reserved };
}

/** Checks the bearer ticket's shape before any signature work. */
function presentTicket(ticket: string | null): string {
  if (ticket === null || ticket === '') {
    throw new ApiError(
      401,
      'token_missing',
      'Send the ticket as "Authorization: Bearer <ticket>".',
    );
  }
  if (ticket.length > LIMITS.maxTokenLength) {
    throw new ApiError(401, 'token_too_large', 'The ticket is too large.');
  }
  return ticket;
}

/**
 * The admission for `ticket` in `record`'s room.
 *
 * @param record - the room as the caller just read it (so it is not read twice)
 */
export async function admitPlace(
  context: ServiceContext,
  record: RoomRecord,
  ticket: string | null,
): Promise<AdmitResponse> {
  const { store, signer, now, publicOrigin } = context;
  const room = record.room;
  // An expired ticket still names its place: whether that place can be admitted is the
  // store's to say (the hold below), never the ticket's lifetime.
  const ticketClaims = await signer.verifyTicket(presentTicket(ticket), {
    room,
    acceptExpired: true,
  });
  if (record.status === 'closed') {
    throw new ApiError(403, 'room_closed', 'This room is closed and admits nobody.');
  }
  const at = now();
  await refuseUnboundOrReleased(context, record, ticketClaims, at);
  const { sub } = ticketClaims;
  const seq = ticketClaims.pre
    ? await preOpenSeq(context, record, ticketClaims, at)
    : ticketClaims.seq;
  checkAdmitCohort(record, ticketClaims, at);
  // Read side by side (one round trip to a shared store): the claim held, and for a turn that
  // came, its hold and the room's capacity, which a repeat claim then does not need.
  const due = seq <= record.serving;
  const [existing, turn, capacity] = await Promise.all([
    store.getClaim(room, seq, at),
    due ? heldTurn(context, room, seq, at) : null,
    due ? capacityOf(context, record, seq, at) : undefined,
  ]);
  if (existing?.consumed) throw alreadyUsed();
  if (existing && existing.expiresAt > at && existing.sub === sub) {
    // A lost answer costs nothing: the retry gets the very same admission.
    return { admission: existing.admission, expiresAt: existing.expiresAt, serverTime: at };
  }
  if (!due) {
    throw new ApiError(
      409,
      'not_your_turn',
      `Not your turn yet: ${seq - record.serving} place(s) ahead of you.`,
    );
  }
  if (turn === null) {
    throw new ApiError(
      410,
      'hold_expired',
      `Your turn passed more than ${record.config.holdSeconds} seconds ago.`,
    );
  }
  const signed = await signer.signAdmission({
    sub,
    room,
    seq,
    aud: record.config.audience ?? publicOrigin,
    holdEndsAt: turn.holdEndsAt,
    ...cohortClaim(ticketClaims.cohort),
    ...idhClaim(ticketClaims.idh),
  });
  const claim: ClaimRecord = {
    seq,
    sub,
    jti: signed.claims.jti,
    admission: signed.token,
    claimedAt: at,
    expiresAt: signed.expiresAt,
    consumed: false,
  };
  const winner = await store.recordClaim(room, claim, at, capacity);
  if (winner === 'full') {
    throw new ApiError(
      409,
      'booking_full',
      'Your turn has come, but the booking site is full for a moment: your place is kept; try again shortly.',
      { 'Retry-After': String(BOOKING_FULL_RETRY_SECONDS) },
    );
  }
  if (winner.consumed) throw alreadyUsed();
  if (winner.sub !== sub) {
    throw new ApiError(403, 'forbidden', 'This place is held by another visitor.');
  }
  if (winner.jti === claim.jti) await context.count({ name: 'admissions', room });
  return { admission: winner.admission, expiresAt: winner.expiresAt, serverTime: at };
}
