/**
 * The queue machine's rules for a failed request. Only the server's explicit refusal of the
 * ticket costs the visitor their place; everything else keeps it and looks again later.
 */
import { POLL_BOUNDS } from '../protocol.js';
import { discardsTicket, isIdentityFailure, roomStatusOf, toProblem } from './errors.js';
import type { TransportFailure } from './errors.js';
import {
  ALL_TIMERS,
  linePosition,
  nextPollDelay,
  proceed,
  schedule,
  toBooked,
} from './machine-shared.js';
import type { Moment } from './machine-shared.js';
import { onIdentityFailure } from './machine-identity.js';
import type { MachineState, RequestKind, Transition } from './machine-state.js';
import { openingDelay, pollDelay, retryDelay } from './poll-schedule.js';

/**
 * The server refused a first join because the visitor's cohort is not open yet: no place is
 * taken; the engine joins again when the cohort opens (checking at least every minute), and
 * the UI says when that is.
 */
function onCohortNotOpen(
  state: MachineState,
  event: Moment,
  failure: Extract<TransportFailure, { kind: 'http' }>,
): Transition {
  const opensAt = failure.opensAt === undefined ? null : failure.opensAt - state.clockOffsetMs;
  const settled: MachineState = {
    ...state,
    inFlight: null,
    status: opensAt === null ? 'closed' : 'paused',
    cohortOpensAt: opensAt,
    problem: toProblem(failure),
    failures: 0,
    next: 'join',
    lastUpdatedAt: event.at,
  };
  const untilOpen = opensAt === null ? POLL_BOUNDS.maxMs : opensAt - event.at;
  return schedule(settled, 'retry', openingDelay(untilOpen, event.random), event.at);
}

export function onFailure(
  state: MachineState,
  event: Moment,
  request: RequestKind,
  failure: TransportFailure,
): Transition {
  const settled: MachineState = { ...state, inFlight: null };
  if (failure.kind === 'http' && failure.code === 'admission_used') {
    // The place was used to book already (another tab, a form posted elsewhere): the journey
    // is over, not broken, and claiming again would only be refused again.
    return toBooked(settled, event.at, 'already-used', false);
  }
  // About the visitor's identity, never the ticket: checked before the refusals that discard.
  if (isIdentityFailure(failure)) return onIdentityFailure(state, event, failure);
  if (discardsTicket(failure)) {
    return {
      state: {
        ...settled,
        status: 'rejected',
        rejection: toProblem(failure),
        problem: null,
        ticket: null,
        ticketExpiresAt: null,
        admission: null,
        admissionExpiresAt: null,
        next: null,
        nextAttemptAt: null,
        failures: 0,
      },
      effects: [{ type: 'cancel', kinds: ALL_TIMERS }, { type: 'discard-ticket' }],
    };
  }
  // A recheck of the admission on screen (`onRecheck`) that failed otherwise says nothing about
  // it: the admission stays, with its own expiry timer, and no retry is scheduled.
  if (request === 'admit' && state.status === 'admitted' && state.admission !== null) {
    return { state: settled, effects: [] };
  }
  if (
    request === 'join' &&
    state.ticket === null &&
    failure.kind === 'http' &&
    failure.code === 'cohort_not_open'
  ) {
    return onCohortNotOpen(state, event, failure);
  }
  const roomStatus = roomStatusOf(failure);
  if (roomStatus) {
    // The server answered, just "not now": keep the ticket and look again, slowly.
    const paused: MachineState = {
      ...settled,
      roomStatus,
      problem: null,
      failures: 0,
      lastUpdatedAt: event.at,
    };
    const interval = { pollAfterMs: POLL_BOUNDS.minMs, scaled: true };
    const result = proceed(paused, event, interval, []);
    // A room that refused a join still needs the join; the state poll serves everyone else.
    return request === 'join' ? { ...result, state: { ...result.state, next: 'join' } } : result;
  }
  if (
    request === 'admit' &&
    failure.kind === 'http' &&
    (failure.code === 'not_your_turn' || failure.code === 'booking_full')
  ) {
    // The claim was early (a clock or cache ahead of the server), or the booking site is at
    // its limit of admissions at once: back to watching, same place, and claim again soon.
    const pollMs = pollDelay({
      pollAfterMs: POLL_BOUNDS.minMs,
      scaled: true,
      position: 0,
      ratePerSec: state.ratePerSec,
      roomStatus: 'open',
      random: event.random,
    });
    const delayMs = Math.max(pollMs, failure.retryAfterMs ?? 0);
    return schedule(
      { ...settled, status: 'waiting', problem: null, next: 'state' },
      'poll',
      delayMs,
      event.at,
    );
  }
  // Everything else is transient from the visitor's point of view: a network failure, a
  // timeout, a 5xx, a 429, a proxy's HTML. None of them says the ticket is bad, so the place is
  // kept and the same request is retried with backoff. A failed state poll is retried no
  // sooner than this visitor's own next poll would have been: after a restart, the polls that
  // failed then come back spread over their usual intervals instead of all within the first
  // backoff window (a burst of several times the steady load). Joins and claims keep plain
  // backoff: a visitor without a place, or whose turn came, should not wait a poll interval.
  const retryAfterMs = failure.kind === 'http' ? failure.retryAfterMs : null;
  const pollFloorMs =
    request === 'state' && state.pollInterval
      ? nextPollDelay(state, state.pollInterval, linePosition(state, event.at) ?? 0, event.random)
      : 0;
  const delayMs = retryDelay({
    attempt: state.failures,
    retryAfterMs,
    random: event.random,
    pollFloorMs,
  });
  const problem = toProblem(failure);
  return schedule(
    {
      ...settled,
      status: 'reconnecting',
      problem: retryAfterMs ? { ...problem, retryAt: event.at + retryAfterMs } : problem,
      next: request,
      failures: state.failures + 1,
      // Answers reset `failures`, not this: a new run of failures starts its own clock.
      failingSince:
        state.failures > 0 && state.failingSince !== null ? state.failingSince : event.at,
    },
    'retry',
    delayMs,
    event.at,
  );
}
