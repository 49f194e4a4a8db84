/**
 * Joining: a new place (or a pre-open ticket before a scheduled opening), or the same place
 * again for a ticket, re-signed when it is due.
 */
import { POLL_BOUNDS, pollIntervalFor } from '../../protocol.js';
import type { JoinResponse, TicketClaims } from '../../protocol.js';
import { TokenError } from '../../verify/index.js';
import { ApiError } from '../api-error.js';
import type { RoomRecord } from '../store/queue-store.js';
import { roomNotFound } from './context.js';
import type { ServiceContext } from './context.js';
import { basePoll } from './poll.js';
import { cohortClaim, preOpenExpiry, refreshDue } from './tickets.js';
import { drawnOrRefuse, placeLives } from './turns.js';

/** A ticket as the join answers it. */
interface Held {
  token: string;
  seq: number;
  expiresAt: number;
  cohort: string | undefined;
  /** The room as it is after this join (re-read when the join changed it). */
  record: RoomRecord;
}

/** The answer for a pre-open ticket: no place yet, come back shortly after the opening. */
function preOpenAnswer(
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

/** A pre-open ticket for a `sub` still registered, or null when the draw does not know it. */
async function renewPreOpen(
  { store, signer }: ServiceContext,
  record: RoomRecord,
  claims: TicketClaims,
  at: number,
): Promise<{ token: string; expiresAt: number } | null> {
  const draw = await store.getDraw(record.room);
  if (draw === null || !draw.entrants.includes(claims.sub)) return null;
  return signer.signTicket({
    sub: claims.sub,
    room: record.room,
    seq: 0,
    pre: true,
    expiresAt: preOpenExpiry(record, at),
    ...cohortClaim(claims.cohort),
  });
}

/** A rejoin with a ticket: the same place, whatever the room's status. */
async function rejoin(
  context: ServiceContext,
  record: RoomRecord,
  ticket: string,
): Promise<Held | JoinResponse> {
  const { signer, gate, store, now } = context;
  const room = record.room;
  // A valid ticket keeps its place, whatever the room's status: a reload never costs it.
  // An expired one too, as long as its place lives: a ticket is only the place's proof.
  const claims = await signer.verifyTicket(ticket, { room, acceptExpired: true });
  const placeTicket = (seq: number) => ({
    sub: claims.sub,
    room,
    seq,
    ...cohortClaim(claims.cohort),
  });
  const at = now();
  const expired = claims.exp * 1000 <= at;
  const held: Held = {
    token: ticket,
    seq: claims.seq,
    expiresAt: claims.exp * 1000,
    cohort: claims.cohort,
    record,
  };
  if (claims.pre) {
    const drawn = await gate.drawnSeq(record, claims.sub, at);
    if (drawn === 'not_drawn') {
      if (expired || refreshDue(claims, at)) {
        const renewed = await renewPreOpen(context, record, claims, at);
        if (renewed === null) throw new TokenError('token_expired');
        ({ token: held.token, expiresAt: held.expiresAt } = renewed);
      }
      return preOpenAnswer(context, record, held.token, held.expiresAt, held.cohort);
    }
    held.seq = drawnOrRefuse(drawn);
    // From now on the visitor holds an ordinary ticket for the drawn place; the pre-open
    // ticket keeps answering the same seq if it comes back.
    ({ token: held.token, expiresAt: held.expiresAt } = await signer.signTicket(
      placeTicket(held.seq),
    ));
    held.record = (await store.getRoom(room)) ?? record;
  } else if (expired || refreshDue(claims, at)) {
    if (expired && !(await placeLives(context, record, held.seq, at))) {
      throw new TokenError('token_expired');
    }
    ({ token: held.token, expiresAt: held.expiresAt } = await signer.signTicket(
      placeTicket(held.seq),
    ));
  }
  return held;
}

/** A new visitor: a pre-open ticket before the opening, else the next seq. */
async function newPlace(
  context: ServiceContext,
  record: RoomRecord,
  cohortAsked: string | undefined,
): Promise<Held | JoinResponse> {
  const { signer, gate, store, now, count } = context;
  const room = record.room;
  if (record.status === 'closed') {
    throw new ApiError(403, 'room_closed', 'This room is closed and takes no new visitors.');
  }
  const cohort = gate.checkCohort(record, cohortAsked, now());
  if (await gate.isPreOpen(record, now())) {
    const sub = globalThis.crypto.randomUUID();
    if (await gate.register(room, sub, now())) {
      const signed = await signer.signTicket({
        sub,
        room,
        seq: 0,
        pre: true,
        expiresAt: preOpenExpiry(record, now()),
        ...cohortClaim(cohort),
      });
      await count({ name: 'joins', room });
      return preOpenAnswer(context, record, signed.token, signed.expiresAt, cohort);
    }
  }
  // Every seq handed out after opening must come after the whole draw.
  if (record.config.opensAt !== null) await gate.settle(record, now());
  const seq = await store.allocateSeq(room, now());
  if (seq === null) throw roomNotFound(room);
  const signed = await signer.signTicket({
    sub: globalThis.crypto.randomUUID(),
    room,
    seq,
    ...cohortClaim(cohort),
  });
  await count({ name: 'joins', room });
  return {
    token: signed.token,
    seq,
    expiresAt: signed.expiresAt,
    cohort,
    record: (await store.getRoom(room)) ?? record,
  };
}

/**
 * Joins `record`'s room with `ticket` (a rejoin) or as a new visitor.
 *
 * @param record - the room as the caller just read it (so it is not read twice)
 */
export async function joinRoom(
  context: ServiceContext,
  record: RoomRecord,
  ticket: string | undefined,
  cohortAsked: string | undefined,
): Promise<JoinResponse> {
  const outcome =
    ticket !== undefined
      ? await rejoin(context, record, ticket)
      : await newPlace(context, record, cohortAsked);
  // A pre-open ticket's answer is complete as it is: it holds no place to report yet.
  if (!('record' in outcome)) return outcome;
  const { token, seq, expiresAt, cohort, record: after } = outcome;
  const rate = await context.rateOf(after);
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
