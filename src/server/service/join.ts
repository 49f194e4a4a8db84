/**
 * Joining: a new place (or a pre-open ticket before a scheduled opening), or the same place
 * again for a ticket, re-signed when it is due. A room that binds places to a signed-in person
 * joins through `join-identity.ts`, which builds on these.
 */
import type { JoinResponse, TicketClaims } from '../../protocol.js';
import { TokenError } from '../../verify/index.js';
import { ApiError } from '../api-error.js';
import type { RoomRecord } from '../store/queue-store.js';
import { roomNotFound } from './context.js';
import type { ServiceContext } from './context.js';
import { placeAnswer, preOpenAnswer } from './join-answers.js';
import type { Held } from './join-answers.js';
import { cohortClaim, idhClaim, preOpenExpiry, refreshDue } from './tickets.js';
import { drawnOrRefuse, placeLives } from './turns.js';

/** A pre-open ticket for a `sub` still registered, or null when the draw does not know it. */
async function renewPreOpen(
  { gate, signer }: ServiceContext,
  record: RoomRecord,
  claims: TicketClaims,
  at: number,
): Promise<{ token: string; expiresAt: number } | null> {
  if (!(await gate.isEntrant(record.room, claims.sub))) return null;
  return signer.signTicket({
    sub: claims.sub,
    room: record.room,
    seq: 0,
    pre: true,
    expiresAt: preOpenExpiry(record, at),
    ...cohortClaim(claims.cohort),
    ...idhClaim(claims.idh),
  });
}

/**
 * A rejoin with a verified ticket: the same place, whatever the room's status.
 *
 * @param claims - `ticket`'s claims, verified for the room (expired ones accepted)
 */
export async function rejoinPlace(
  context: ServiceContext,
  record: RoomRecord,
  ticket: string,
  claims: TicketClaims,
): Promise<Held | JoinResponse> {
  const { signer, gate, store, now } = context;
  const room = record.room;
  const placeTicket = (seq: number) => ({
    sub: claims.sub,
    room,
    seq,
    ...cohortClaim(claims.cohort),
    ...idhClaim(claims.idh),
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
    // Like any expired ticket, an expired pre-open one is honoured only while its place lives:
    // it is never exchanged for a fresh ticket of a place booked or past its hold.
    if (expired && !(await placeLives(context, record, held.seq, at))) {
      throw new TokenError('token_expired');
    }
    // From now on the visitor holds an ordinary ticket for the drawn place; the pre-open
    // ticket keeps answering the same seq if it comes back.
    ({ token: held.token, expiresAt: held.expiresAt } = await signer.signTicket(
      placeTicket(held.seq),
    ));
    held.record = (await store.getRoom(room)) ?? record;
  } else if (expired || refreshDue(claims, at)) {
    // A ticket lives as long as its place: once the place is gone (booked, or its hold over),
    // an expired ticket is refused and a valid one is answered as it is, never refreshed, so
    // that rejoining every half-life cannot keep a dead place's ticket alive forever.
    if (!(await placeLives(context, record, held.seq, at))) {
      if (expired) throw new TokenError('token_expired');
      return held;
    }
    ({ token: held.token, expiresAt: held.expiresAt } = await signer.signTicket(
      placeTicket(held.seq),
    ));
  }
  return held;
}

/** The cohort of a newcomer, once the room takes newcomers at all (not when closed). */
export function newcomerCohort(
  { gate, now }: ServiceContext,
  record: RoomRecord,
  cohortAsked: string | undefined,
): string | undefined {
  if (record.status === 'closed') {
    throw new ApiError(403, 'room_closed', 'This room is closed and takes no new visitors.');
  }
  return gate.checkCohort(record, cohortAsked, now());
}

/** The next ordinary seq: always after the whole opening draw, if the room has one. */
export async function nextSeq({ gate, store, now }: ServiceContext, record: RoomRecord) {
  if (record.config.opensAt !== null) await gate.settle(record, now());
  const seq = await store.allocateSeq(record.room, now());
  if (seq === null) throw roomNotFound(record.room);
  return seq;
}

/** A new visitor: a pre-open ticket before the opening, else the next seq. */
async function newPlace(
  context: ServiceContext,
  record: RoomRecord,
  cohortAsked: string | undefined,
): Promise<Held | JoinResponse> {
  const { signer, gate, now, count } = context;
  const room = record.room;
  const cohort = newcomerCohort(context, record, cohortAsked);
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
  const seq = await nextSeq(context, record);
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
    record: await roomAfterJoin(context, record, seq),
  };
}

/**
 * The room as the join answer shows it. Handing out a seq changed only `issued`, which the
 * answer does not show, so the room read at the start of the request is brought up to the seq
 * here instead of read again (a store round trip per join). A room with an opening may have run
 * its draw meanwhile (see `nextSeq`), so it is read again.
 */
async function roomAfterJoin(
  { store }: ServiceContext,
  record: RoomRecord,
  seq: number,
): Promise<RoomRecord> {
  if (record.config.opensAt !== null) return (await store.getRoom(record.room)) ?? record;
  return seq > record.issued ? { ...record, issued: seq } : record;
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
  if (ticket === undefined)
    return placeAnswer(context, await newPlace(context, record, cohortAsked));
  // A valid ticket keeps its place, whatever the room's status: a reload never costs it.
  // An expired one too, as long as its place lives: a ticket is only the place's proof.
  const claims = await context.signer.verifyTicket(ticket, {
    room: record.room,
    acceptExpired: true,
  });
  return placeAnswer(context, await rejoinPlace(context, record, ticket, claims));
}
