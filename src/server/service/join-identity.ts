/**
 * Joining a room that binds places to a signed-in person: one person, one place per room,
 * given back on any device (see docs/identity.md).
 *
 * How two joins of one person can never make two places: the person's place is a binding in
 * the store (identity hash → the place's `sub`, `seq`), changed only by compare-and-replace.
 * A new place is bound before it is used — before the opening, the binding is made before the
 * `sub` is registered for the draw, so of forty racing registrations one wins the binding and
 * is the only one registered; the others read the winner and answer it.
 */
import type { JoinRequest, JoinResponse } from '../../protocol.js';
import { ApiError } from '../api-error.js';
import type { IdentityBinding, RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';
import {
  identityHashOf,
  identityMode,
  identityRequired,
  refuseUnboundOrReleased,
} from './identity-rules.js';
import { placeAnswer, preOpenAnswer } from './join-answers.js';
import { joinRoom, newcomerCohort, nextSeq, rejoinPlace } from './join.js';
import { cohortClaim, idhClaim, preOpenExpiry } from './tickets.js';
import { heldTurn, placeLives } from './turns.js';

/** Where a place stands: waiting for the opening draw, or its seq while it can be used. */
type Standing = { pre: true } | { seq: number };

/** Compare-and-replace rounds a join tries before giving up (each loses only to a new winner). */
const MAX_ROUNDS = 5;
/** How long past its hold a released place is remembered (a margin for clocks). */
const RELEASE_MARGIN_MS = 60_000;

/** Where `place` stands now, or null when it can no longer be used (gone, or its hold passed). */
async function standingOf(
  context: ServiceContext,
  record: RoomRecord,
  place: IdentityBinding,
  at: number,
): Promise<Standing | null> {
  let seq = place.seq;
  if (seq === 0) {
    const drawn = await context.gate.drawnSeq(record, place.sub, at);
    // A join that bound the place and then failed (an error, a crash) before its registration
    // was stored must not leave the person told they are in the draw while they are not.
    if (drawn === 'not_drawn') {
      return (await context.gate.keepRegistered(record.room, place.sub, at)) ? { pre: true } : null;
    }
    if (drawn === null) return null;
    seq = drawn;
  }
  return (await placeLives(context, record, seq, at)) ? { seq } : null;
}

/** Until when a released place must be remembered: while any ticket of it could be honoured. */
async function keepReleasedUntil(
  context: ServiceContext,
  record: RoomRecord,
  standing: Standing,
  at: number,
): Promise<number> {
  if ('seq' in standing && standing.seq <= record.serving) {
    const turn = await heldTurn(context, record.room, standing.seq, at);
    if (turn !== null) return turn.holdEndsAt + RELEASE_MARGIN_MS;
  }
  // Still waiting: it may be honoured for as long as the room lives.
  return Number.MAX_SAFE_INTEGER;
}

/** Whether `a` is the better of two live places: only an earlier seq beats a held place. */
const betterThan = (a: Standing, b: Standing): boolean => 'seq' in a && 'seq' in b && a.seq < b.seq;

/** A fresh ticket for the person's place, and the join answer for it. */
async function answerFor(
  context: ServiceContext,
  record: RoomRecord,
  place: IdentityBinding,
  standing: Standing,
  idh: string,
): Promise<JoinResponse> {
  const { signer, store, now } = context;
  const base = {
    sub: place.sub,
    room: record.room,
    ...cohortClaim(place.cohort),
    ...idhClaim(idh),
  };
  if ('pre' in standing) {
    const expiresAt = preOpenExpiry(record, now());
    const signed = await signer.signTicket({ ...base, seq: 0, pre: true, expiresAt });
    return preOpenAnswer(context, record, signed.token, signed.expiresAt, place.cohort);
  }
  const signed = await signer.signTicket({ ...base, seq: standing.seq });
  return placeAnswer(context, {
    token: signed.token,
    seq: standing.seq,
    expiresAt: signed.expiresAt,
    cohort: place.cohort,
    record: (await store.getRoom(record.room)) ?? record,
  });
}

/**
 * A new place bound to the person in place of `expected` (their dead place, or none); null
 * when another join of theirs bound one first (the caller then reads and answers it).
 */
async function newBoundPlace(
  context: ServiceContext,
  record: RoomRecord,
  idh: string,
  expected: IdentityBinding | null,
  cohortAsked: string | undefined,
): Promise<JoinResponse | null> {
  const { gate, store, now, count } = context;
  const room = record.room;
  const cohort = newcomerCohort(context, record, cohortAsked);
  const sub = globalThis.crypto.randomUUID();
  if (await gate.isPreOpen(record, now())) {
    const next = { sub, seq: 0, ...cohortClaim(cohort) };
    const held = await store.bindIdentity(room, { idh, expected, next }, now());
    if (held.sub !== sub) return null;
    if (await gate.register(room, sub, now())) {
      await count({ name: 'joins', room });
      return answerFor(context, record, next, { pre: true }, idh);
    }
    // The draw ran meanwhile: an ordinary place takes the registration's binding over.
    expected = held;
  }
  const next = { sub, seq: await nextSeq(context, record), ...cohortClaim(cohort) };
  const held = await store.bindIdentity(room, { idh, expected, next }, now());
  // Lost: the seq taken is left unused, like a visitor who walked away.
  if (held.sub !== sub || held.seq !== next.seq) return null;
  await count({ name: 'joins', room });
  return answerFor(context, record, next, next, idh);
}

/**
 * The store key that remembers who brought an anonymous place in first. Kept beside the
 * bindings (same atomic compare-and-replace), and never an identity hash: `:` is not base64url.
 */
const anonymousPlaceKey = (sub: string): string => `brought:${sub}`;

/**
 * Whether the person `idh` may take or give up the anonymous place `sub`: the first person to
 * bring one of its tickets in makes it theirs for good, atomically. Why: binding re-signs the
 * place's tickets with `idh`, but the anonymous tickets it had still verify; without this,
 * anybody holding such a copy could take the bound place too, or have it released under its
 * owner, whose every later join would then answer a place that admit refuses (410).
 */
async function mayBringAnonymousPlace(
  { store, now }: ServiceContext,
  room: string,
  sub: string,
  idh: string,
): Promise<boolean> {
  const owner = { sub: idh, seq: 0 };
  const change = { idh: anonymousPlaceKey(sub), expected: null, next: owner };
  return (await store.bindIdentity(room, change, now())).sub === idh;
}

/** The ticket's place when the person may bring it in: bound to nobody or to them, not given up. */
async function broughtPlace(
  context: ServiceContext,
  record: RoomRecord,
  ticket: string | undefined,
  idh: string,
): Promise<IdentityBinding | null> {
  if (ticket === undefined) return null;
  const { signer, store, now } = context;
  const claims = await signer.verifyTicket(ticket, { room: record.room, acceptExpired: true });
  // Another person's place is not this person's to take or give up: the ticket is ignored.
  if (claims.idh !== undefined && claims.idh !== idh) return null;
  if (await store.isPlaceReleased(record.room, claims.sub, now())) return null;
  if (
    claims.idh === undefined &&
    !(await mayBringAnonymousPlace(context, record.room, claims.sub, idh))
  ) {
    return null;
  }
  return { sub: claims.sub, seq: claims.pre ? 0 : claims.seq, ...cohortClaim(claims.cohort) };
}

/** One round: the person's place, after keeping the better of it and the ticket's. */
async function joinRound(
  context: ServiceContext,
  record: RoomRecord,
  idh: string,
  brought: IdentityBinding | null,
  cohortAsked: string | undefined,
): Promise<JoinResponse | null> {
  const { store, now } = context;
  const room = record.room;
  const at = now();
  const bound = await store.getIdentityBinding(room, idh);
  const boundStanding = bound && (await standingOf(context, record, bound, at));
  const other = brought && brought.sub !== bound?.sub ? brought : null;
  const otherStanding = other && (await standingOf(context, record, other, at));
  if (bound && boundStanding) {
    if (!other || !otherStanding) return answerFor(context, record, bound, boundStanding, idh);
    if (betterThan(otherStanding, boundStanding)) {
      // The ticket's earlier place is kept; the person's later one is given up in the same step.
      const keepUntil = await keepReleasedUntil(context, record, boundStanding, at);
      const change = { idh, expected: bound, next: other, release: { sub: bound.sub, keepUntil } };
      const held = await store.bindIdentity(room, change, at);
      return held.sub === other.sub ? answerFor(context, record, other, otherStanding, idh) : null;
    }
    const keepUntil = await keepReleasedUntil(context, record, otherStanding, at);
    await store.releasePlace(room, other.sub, keepUntil, at);
    return answerFor(context, record, bound, boundStanding, idh);
  }
  if (other && otherStanding) {
    // The person had no live place: the one they brought becomes theirs.
    const held = await store.bindIdentity(room, { idh, expected: bound, next: other }, at);
    return held.sub === other.sub ? answerFor(context, record, other, otherStanding, idh) : null;
  }
  return newBoundPlace(context, record, idh, bound, cohortAsked);
}

/** A join of a signed-in person: their place, wherever they join from. */
async function joinAsPerson(
  context: ServiceContext,
  record: RoomRecord,
  request: JoinRequest,
  idh: string,
): Promise<JoinResponse> {
  const brought = await broughtPlace(context, record, request.ticket, idh);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const answer = await joinRound(context, record, idh, brought, request.cohort);
    if (answer !== null) return answer;
  }
  throw new ApiError(503, 'overloaded', 'Too many joins of this person at once; try again.', {
    'Retry-After': '1',
  });
}

/** A join that names nobody, in a room with identity: anonymous places only where allowed. */
async function joinAnonymously(
  context: ServiceContext,
  record: RoomRecord,
  request: JoinRequest,
): Promise<JoinResponse> {
  const { ticket } = request;
  if (ticket === undefined) {
    if (record.config.identityRequired === true) throw identityRequired();
    return joinRoom(context, record, undefined, request.cohort);
  }
  const claims = await context.signer.verifyTicket(ticket, {
    room: record.room,
    acceptExpired: true,
  });
  await refuseUnboundOrReleased(context, record, claims, context.now());
  return placeAnswer(context, await rejoinPlace(context, record, ticket, claims));
}

/**
 * Joins `record`'s room: as the person an identity assertion names when the room has identity
 * configured and the request brings one, else as before (with the rules on released places).
 *
 * @param record - the room as the caller just read it (so it is not read twice)
 */
export async function joinRoomAs(
  context: ServiceContext,
  record: RoomRecord,
  request: JoinRequest,
): Promise<JoinResponse> {
  // A room without identity ignores an assertion (it still refuses a released place).
  if (!record.config.identity) return joinAnonymously(context, record, request);
  const answer =
    request.identity === undefined
      ? await joinAnonymously(context, record, request)
      : await joinAsPerson(
          context,
          record,
          request,
          await identityHashOf(context, record, request.identity),
        );
  return { ...answer, ...identityMode(record.config) };
}
