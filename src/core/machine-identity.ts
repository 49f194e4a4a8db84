/**
 * The queue machine's rules for the visitor's identity (a room that binds places to the site's
 * signed-in user): a refusal about the identity, and the visitor signing in or out. None of
 * them costs the ticket: an identity refusal says nothing about the place.
 */
import type { TransportFailure } from './errors.js';
import { toProblem } from './errors.js';
import { ALL_TIMERS, send, unchanged } from './machine-shared.js';
import type { MachineState, Transition } from './machine-state.js';
import type { QueueStatus } from './types.js';

/** Where a change of identity makes the engine join again (a claim or an admission is left be). */
const REJOINS_ON_CHANGE: readonly QueueStatus[] = [
  'joining',
  'waiting',
  'reconnecting',
  'paused',
  'closed',
  'sign-in-required',
];

/**
 * The server wants an identity (`identity_required`), refused the one sent (`token:
 * "identity"`), or the page has none. The first refusal after a join answer asks the page for
 * a fresh assertion and joins again with the ticket (an assertion expires in minutes, and a
 * join binds an anonymous ticket); a second one, or no identity at all, settles in
 * `sign-in-required`: nothing is polled until the visitor signs in.
 */
export function onIdentityFailure(
  state: MachineState,
  event: { at: number },
  failure: TransportFailure,
): Transition {
  const settled: MachineState = { ...state, inFlight: null };
  if (failure.kind !== 'no-identity' && !state.identityRetried) {
    return send({ ...settled, joinIdentity: 'require', identityRetried: true }, 'join', event.at);
  }
  if (failure.kind === 'http' && failure.identity && settled.ticket && settled.joinIdentity) {
    // The site's assertions keep being refused, but the place may not need one (an optional
    // room, a ticket bound already): the ticket alone keeps it, or the server says it must not.
    return send({ ...settled, joinIdentity: null }, 'join', event.at);
  }
  return {
    state: {
      ...settled,
      status: 'sign-in-required',
      problem: toProblem(failure),
      next: null,
      nextAttemptAt: null,
      failures: 0,
      joinIdentity: null,
      lastUpdatedAt: event.at,
    },
    effects: [{ type: 'cancel', kinds: ALL_TIMERS }],
  };
}

/**
 * The visitor signed in or out: join again with the ticket and the identity the page has now,
 * so an anonymous place gets bound to the person (the server keeps the better of two places),
 * and a visitor waiting for sign-in joins. The status stays as it is while the join is out
 * (no "getting your place" flash for a visitor already in line).
 */
export function onIdentityChanged(state: MachineState, event: { at: number }): Transition {
  if (!REJOINS_ON_CHANGE.includes(state.status)) return unchanged(state);
  const signingIn = state.status === 'sign-in-required';
  const sent = send(
    {
      ...state,
      status: signingIn ? 'joining' : state.status,
      inFlight: null,
      problem: signingIn ? null : state.problem,
      joinIdentity: signingIn ? 'require' : 'ask',
      identityRetried: false,
    },
    'join',
    event.at,
  );
  return {
    state: sent.state,
    effects: [{ type: 'abort' }, { type: 'cancel', kinds: ALL_TIMERS }, ...sent.effects],
  };
}
