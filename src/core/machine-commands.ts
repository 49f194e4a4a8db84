/**
 * The queue machine's rules for what the visitor, the page and the engine ask: start and stop,
 * a timer firing, "look now" (retry, resume), rejoin, restore, reclaim and complete.
 */
import { POLL_BOUNDS } from '../protocol.js';
import type { BookedRecord } from './booked-store.js';
import { ALL_TIMERS, send, toBooked, unchanged } from './machine-shared.js';
import { ADMISSION_EXPIRED, initialMachineState } from './machine-state.js';
import type { MachineEffect, MachineState, RequestKind, Transition } from './machine-state.js';
import type { StoredTicket } from './ticket-store.js';
import type { BookingOutcome, QueueStatus } from './types.js';

/** The states that hold or seek a place and so may send their next request. */
const ACTIVE: readonly QueueStatus[] = [
  'joining',
  'waiting',
  'reconnecting',
  'paused',
  'closed',
  'admitting',
];

/** Sends the pending request, unless nothing is pending, one is in flight, or the queue is done. */
function sendNext(state: MachineState, at: number): Transition {
  if (!ACTIVE.includes(state.status) || state.inFlight || !state.next) return unchanged(state);
  return send(state, state.next, at);
}

/** Drops whatever is in flight or timed, then sends `request` from `state`. */
function restart(
  state: MachineState,
  request: RequestKind,
  at: number,
  before: MachineEffect[] = [],
): Transition {
  const sent = send(state, request, at);
  return {
    state: sent.state,
    effects: [{ type: 'abort' }, { type: 'cancel', kinds: ALL_TIMERS }, ...before, ...sent.effects],
  };
}

export function onStart(
  state: MachineState,
  event: { at: number },
  stored: StoredTicket | null,
  booked: BookedRecord | null,
): Transition {
  if (state.status !== 'idle') return unchanged(state);
  // A stored ticket of another place is a journey begun after the booking: it wins.
  if (booked && (!stored || stored.seq === booked.seq)) {
    return toBooked({ ...state, seq: booked.seq }, event.at, booked.outcome, true, booked);
  }
  const base: MachineState = {
    ...initialMachineState,
    status: 'joining',
    ticket: stored?.ticket ?? null,
    // A stored pre-open ticket (seq 0) has no place yet: the join answer tells.
    seq: stored?.seq ? stored.seq : null,
    ticketExpiresAt: stored?.ticketExpiresAt ?? null,
  };
  if (
    stored?.admission &&
    stored.admissionExpiresAt !== undefined &&
    stored.admissionExpiresAt > event.at
  ) {
    // An admission survives a reload while valid, but storage is editable by anyone: the
    // server confirms it first. Claiming is idempotent, so it answers the very same admission
    // while that is valid, and the form is revealed only with what the server returned.
    return send({ ...base, status: 'admitting' }, 'admit', event.at);
  }
  // The page may know the visitor now (signed in since the ticket was stored, or on a device
  // without one): the first join of a page asks for the identity.
  return send({ ...base, joinIdentity: 'ask' }, 'join', event.at);
}

export function onStop(state: MachineState): Transition {
  if (state.status === 'idle') return unchanged(state);
  return {
    state: { ...state, status: 'idle', inFlight: null, next: null, nextAttemptAt: null },
    effects: [{ type: 'abort' }, { type: 'cancel', kinds: ALL_TIMERS }],
  };
}

/** The admission ran out before it was used: the ticket is kept to claim a new one. */
export function onAdmissionExpiry(state: MachineState): Transition {
  if (state.status !== 'admitted' || state.admission === null) return unchanged(state);
  return {
    state: { ...state, admission: null, problem: ADMISSION_EXPIRED },
    effects: [{ type: 'persist' }],
  };
}

/** A poll or retry timer fired. */
export const onLookNow = (state: MachineState, event: { at: number }): Transition =>
  sendNext(state, event.at);

/**
 * Whether the server's `Retry-After` still stands at `at`: a visitor's "Try now" (or coming
 * back online) must not send what the server asked everyone to hold back. The retry timer is
 * already set no sooner than that time.
 */
const serverAskedToWait = (state: MachineState, at: number): boolean =>
  state.problem?.retryAt !== undefined && at < state.problem.retryAt;

/** The visitor asked to look now ("Try now"). */
export function onRetryNow(state: MachineState, event: { at: number }): Transition {
  if (serverAskedToWait(state, event.at)) return unchanged(state);
  return sendNext(state, event.at);
}

export function onResume(state: MachineState, event: { at: number }): Transition {
  // Coming back online or to the page is a good moment to look, but tab switching must not
  // become a way to poll faster than the protocol's floor. A clock set back makes the last
  // request look as if it were in the future; that must not silence "online again" until the
  // clock has caught up, hours or a day later.
  if (
    state.lastRequestAt !== null &&
    event.at >= state.lastRequestAt &&
    event.at - state.lastRequestAt < POLL_BOUNDS.minMs
  ) {
    return unchanged(state);
  }
  return onRetryNow(state, event);
}

export function onRejoin(state: MachineState, event: { at: number }): Transition {
  if (state.status === 'idle') return unchanged(state);
  const fresh: MachineState = { ...initialMachineState, status: 'joining', joinIdentity: 'ask' };
  return restart(fresh, 'join', event.at, [{ type: 'discard-ticket' }]);
}

export function onRestore(
  state: MachineState,
  event: { at: number },
  stored: StoredTicket,
): Transition {
  // The server refused a ticket it never gave this tab (storage edited by hand): rejoin
  // with the one it did give, as a start from storage would, instead of losing the place.
  if (!ACTIVE.includes(state.status)) return unchanged(state);
  const restored: MachineState = {
    ...initialMachineState,
    status: 'joining',
    ticket: stored.ticket,
    seq: stored.seq || null,
    ticketExpiresAt: stored.ticketExpiresAt,
  };
  return restart(restored, 'join', event.at);
}

export function onComplete(
  state: MachineState,
  event: { at: number },
  outcome: BookingOutcome,
): Transition {
  if (state.status === 'idle') return unchanged(state);
  // Final: a later "already used" (a second click's answer) does not undo a booking seen
  // to succeed; a success seen after "already used" does say more.
  if (
    state.status === 'booked' &&
    (state.booking?.outcome === 'booked' || outcome === 'already-used')
  ) {
    return unchanged(state);
  }
  return toBooked(state, event.at, outcome, false);
}

/**
 * A claim while admitted, to learn whether the admission was used: the server answers the same
 * admission while it is unused (claiming is idempotent), or `admission_used` once a booking took
 * it. The admission stays on screen meanwhile; see `onFailure` for the answers it ignores.
 */
export function onRecheck(state: MachineState, event: { at: number }): Transition {
  if (state.status !== 'admitted' || state.admission === null || state.inFlight !== null) {
    return unchanged(state);
  }
  return send(state, 'admit', event.at);
}

export function onReclaim(state: MachineState, event: { at: number }): Transition {
  if (
    state.status === 'idle' ||
    state.status === 'rejected' ||
    state.status === 'sign-in-required' ||
    !state.ticket
  ) {
    return unchanged(state);
  }
  if (state.status === 'admitted' && state.admission !== null) return unchanged(state);
  const claiming: MachineState = {
    ...state,
    status: 'admitting',
    admission: null,
    admissionExpiresAt: null,
    problem: null,
    inFlight: null,
  };
  return restart(claiming, 'admit', event.at);
}
