/**
 * The queue as a pure state machine: `transition(state, event) -> { state, effects }`.
 *
 * No I/O and no clock: time (`at`) and randomness (`random`) arrive inside events, requests and
 * timers leave as effect data, and the engine (`queue-engine.ts`) carries them out. That keeps
 * every rule below (above all: only the server's explicit refusal ever costs a visitor their
 * place) testable state by state without a network or a timer.
 */
import { POLL_BOUNDS } from '../protocol.js';
import type { AdmitResponse, JoinResponse, RoomStatus, StateResponse } from '../protocol.js';
import { bookedUntil } from './booked-store.js';
import type { BookedRecord } from './booked-store.js';
import { discardsTicket, roomStatusOf, toProblem } from './errors.js';
import type { TransportFailure } from './errors.js';
import { createPositionTrack, observeServing, positionAt } from './position-estimate.js';
import type { PositionTrack } from './position-estimate.js';
import { pollDelay, retryDelay } from './poll-schedule.js';
import { nextRefreshBelow, refreshDue } from './ticket-refresh.js';
import type { StoredTicket } from './ticket-store.js';
import type { BookingOutcome, BookingRecord, QueueProblem, QueueStatus } from './types.js';

/** The three requests the machine can ask for. */
export type RequestKind = 'join' | 'state' | 'admit';

/** The timers the machine can ask for. `poll` and `retry` both lead to the `next` request. */
export type TimerKind = 'poll' | 'retry' | 'admission-expiry';

/** Everything the machine knows. Plain data; replaced, never mutated. */
export interface MachineState {
  status: QueueStatus;
  ticket: string | null;
  seq: number | null;
  ticketExpiresAt: number | null;
  /**
   * When the ticket has less than this left (ms), the next request is a join that refreshes it
   * (see `ticket-refresh.ts`); null when no refresh is due.
   */
  ticketRefreshBelowMs: number | null;
  holdSeconds: number | null;
  serving: number | null;
  issued: number | null;
  ratePerSec: number;
  roomStatus: RoomStatus | null;
  /** The position estimate's data (see `position-estimate.ts`), once `seq` and `serving` are known. */
  track: PositionTrack | null;
  admission: string | null;
  admissionExpiresAt: number | null;
  lastUpdatedAt: number | null;
  nextAttemptAt: number | null;
  problem: QueueProblem | null;
  rejection: QueueProblem | null;
  /** The request to send when the timer fires or the visitor asks to retry. */
  next: RequestKind | null;
  /** The request in flight, if any: at most one at a time. */
  inFlight: RequestKind | null;
  /** Consecutive failures, the exponent of the backoff. */
  failures: number;
  /** When the last request was sent (epoch ms). */
  lastRequestAt: number | null;
  /**
   * The poll interval of the last answer (as {@link pollDelay} takes it), or null before one:
   * a failed poll is retried no sooner than this visitor would have polled anyway.
   */
  pollInterval: { pollAfterMs: number; scaled: boolean } | null;
  /**
   * This device's clock error (server time minus device time, ms) as seen in state answers, or
   * 0 while it is within {@link CLOCK_SKEW_TOLERANCE_MS}.
   */
  clockOffsetMs: number;
  /** While the ticket is a pre-open one: when the room opens (device clock), else null. */
  opensAt: number | null;
  /** While the visitor's cohort is not open: when it opens (device clock), else null. */
  cohortOpensAt: number | null;
  /** While `booked`: how the journey ended. */
  booking: BookingRecord | null;
}

/** What happens to the machine; `at` is the time (epoch ms) and `random` a uniform [0, 1) draw. */
export type MachineEvent = (
  | {
      type: 'start';
      stored: StoredTicket | null;
      /** The room's "booked" marker (see `booked-store.ts`), if any. */
      booked?: BookedRecord | null;
    }
  | { type: 'stop' }
  | { type: 'joined'; response: JoinResponse }
  | { type: 'state-received'; response: StateResponse }
  | { type: 'admission-received'; response: AdmitResponse }
  | { type: 'request-failed'; request: RequestKind; failure: TransportFailure }
  | { type: 'timer'; kind: TimerKind }
  | { type: 'retry-now' }
  | { type: 'resume' }
  | { type: 'rejoin' }
  | { type: 'reclaim' }
  | { type: 'restore'; stored: StoredTicket }
  | { type: 'complete'; outcome: BookingOutcome }
) & { at: number; random: number };

/** What the machine asks the engine to do, in order. */
export type MachineEffect =
  | { type: 'join'; ticket: string | null }
  | { type: 'poll-state' }
  | { type: 'admit'; ticket: string }
  | { type: 'schedule'; kind: TimerKind; delayMs: number }
  | { type: 'cancel'; kinds: readonly TimerKind[] }
  | { type: 'abort' }
  | { type: 'persist' }
  | { type: 'discard-ticket' }
  /** Forget the ticket and admission, and remember that the journey ended (`record`). */
  | { type: 'mark-booked'; record: BookedRecord };

/** A transition's outcome. */
export interface Transition {
  state: MachineState;
  effects: MachineEffect[];
}

/** The state before `start`. */
export const initialMachineState: MachineState = {
  status: 'idle',
  ticket: null,
  seq: null,
  ticketExpiresAt: null,
  ticketRefreshBelowMs: null,
  holdSeconds: null,
  serving: null,
  issued: null,
  ratePerSec: 0,
  roomStatus: null,
  track: null,
  admission: null,
  admissionExpiresAt: null,
  lastUpdatedAt: null,
  nextAttemptAt: null,
  problem: null,
  rejection: null,
  next: null,
  inFlight: null,
  failures: 0,
  lastRequestAt: null,
  pollInterval: null,
  clockOffsetMs: 0,
  opensAt: null,
  cohortOpensAt: null,
  booking: null,
};

/**
 * Clock errors smaller than this are ignored: network latency makes small offsets noise.
 * Larger ones are real (a device set minutes or hours wrong) and would otherwise make a
 * two-minute admission look expired on arrival.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 30_000;

/**
 * The device clock's error against the server's, from an answer's `serverTime`. Only join and
 * admit answers carry it: they are never cached, while a state answer may be minutes old (a
 * quiet room, a CDN) and would read as a clock error that is not there.
 */
function clockOffsetFrom(serverTime: number | undefined, at: number, previous: number): number {
  if (serverTime === undefined) return previous;
  const offset = serverTime - at;
  return Math.abs(offset) > CLOCK_SKEW_TOLERANCE_MS ? offset : 0;
}

const REQUEST_TIMERS: readonly TimerKind[] = ['poll', 'retry'];
const ALL_TIMERS: readonly TimerKind[] = ['poll', 'retry', 'admission-expiry'];

/**
 * The problem kept on an `admitted` snapshot whose admission ran out before it was used. Its own
 * code, not the server's `token_expired`: no server refused anything, the visitor was too late,
 * and the kept ticket can claim a new admission.
 */
export const ADMISSION_EXPIRED: QueueProblem = {
  code: 'admission_expired',
  message: 'The admission expired before it was used; claim a new one.',
};

const unchanged = (state: MachineState): Transition => ({ state, effects: [] });

function send(state: MachineState, request: RequestKind, at: number): Transition {
  const effects: MachineEffect[] = [{ type: 'cancel', kinds: REQUEST_TIMERS }];
  if (request === 'admit') {
    if (!state.ticket) return unchanged(state);
    effects.push({ type: 'admit', ticket: state.ticket });
  } else if (request === 'join') {
    effects.push({ type: 'join', ticket: state.ticket });
  } else {
    effects.push({ type: 'poll-state' });
  }
  return {
    state: { ...state, next: request, inFlight: request, lastRequestAt: at, nextAttemptAt: null },
    effects,
  };
}

function schedule(
  state: MachineState,
  kind: 'poll' | 'retry',
  delayMs: number,
  at: number,
  effects: MachineEffect[] = [],
): Transition {
  return {
    state: { ...state, nextAttemptAt: at + delayMs },
    effects: [...effects, { type: 'schedule', kind, delayMs }],
  };
}

function positionOf(state: MachineState, at: number): number {
  if (state.track) return positionAt(state.track, at);
  return state.seq !== null && state.serving !== null ? Math.max(0, state.seq - state.serving) : 0;
}

/**
 * After a successful answer: claim admission when the turn came, otherwise poll again. The
 * delay for the next poll comes from the answer (`ownInterval` for a join, already scaled for
 * this visitor; the room's base for a state answer).
 */
function proceed(
  state: MachineState,
  event: { at: number; random: number },
  interval: { pollAfterMs: number; scaled: boolean },
  effects: MachineEffect[],
): Transition {
  const roomStatus = state.roomStatus ?? 'open';
  const position = positionOf(state, event.at);
  // A ticket near its end is refreshed by joining again instead of the next state poll: the
  // join answer carries the line's figures too, so the refresh costs no extra request.
  const watch: RequestKind =
    state.ticket !== null && refreshDue(state.ticketExpiresAt, state.ticketRefreshBelowMs, event.at)
      ? 'join'
      : 'state';
  const delay = () =>
    pollDelay({
      ...interval,
      position,
      ratePerSec: state.ratePerSec,
      roomStatus,
      random: event.random,
    });
  if (roomStatus !== 'open') {
    return schedule(
      { ...state, status: roomStatus, next: watch },
      'poll',
      delay(),
      event.at,
      effects,
    );
  }
  if (state.seq !== null && state.serving !== null && state.serving >= state.seq) {
    const claimed = send({ ...state, status: 'admitting' }, 'admit', event.at);
    return { state: claimed.state, effects: [...effects, ...claimed.effects] };
  }
  // The shown position may run ahead of the last answer until the next poll is due, not beyond.
  const delayMs = delay();
  const track = state.track
    ? { ...state.track, horizonMs: Math.max(state.track.horizonMs, delayMs) }
    : null;
  return schedule(
    { ...state, status: 'waiting', next: watch, track },
    'poll',
    delayMs,
    event.at,
    effects,
  );
}

function horizonFor(pollAfterMs: number): number {
  return Math.min(Math.max(pollAfterMs, POLL_BOUNDS.minMs), POLL_BOUNDS.maxMs);
}

/**
 * A pre-open ticket: no place until the room opens, so nothing to claim and no line to watch.
 * The engine joins again with the ticket after the opening (the server's `pollAfterMs`), spread
 * over a few seconds: the draw does not reward being first, so nobody needs to be.
 */
function onPreOpen(
  state: MachineState,
  event: { at: number; random: number },
  response: JoinResponse,
): Transition {
  const clockOffsetMs = clockOffsetFrom(response.serverTime, event.at, state.clockOffsetMs);
  const next: MachineState = {
    ...state,
    status: 'waiting',
    inFlight: null,
    clockOffsetMs,
    ticket: response.ticket,
    seq: null,
    track: null,
    ticketExpiresAt: response.ticketExpiresAt - clockOffsetMs,
    // The ticket lives past the opening; the join after the draw hands out its successor.
    ticketRefreshBelowMs: null,
    holdSeconds: response.holdSeconds,
    serving: response.serving,
    ratePerSec: 0,
    roomStatus: response.status,
    opensAt: (response.opensAt ?? event.at) - clockOffsetMs,
    cohortOpensAt: null,
    lastUpdatedAt: event.at,
    problem: null,
    rejection: null,
    failures: 0,
    next: 'join',
    pollInterval: null,
  };
  const delayMs = Math.min(
    POLL_BOUNDS.maxMs,
    Math.max(POLL_BOUNDS.minMs, response.pollAfterMs) + Math.floor(event.random * 5000),
  );
  return schedule(next, 'poll', delayMs, event.at, [{ type: 'persist' }]);
}

/**
 * The server refused a first join because the visitor's cohort is not open yet: no place is
 * taken; the engine joins again when the cohort opens (checking at least every minute), and
 * the UI says when that is.
 */
function onCohortNotOpen(
  state: MachineState,
  event: { at: number; random: number },
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
  const delayMs = Math.min(
    POLL_BOUNDS.maxMs,
    Math.max(POLL_BOUNDS.minMs, untilOpen + Math.floor(event.random * 5000)),
  );
  return schedule(settled, 'retry', delayMs, event.at);
}

function onJoined(
  state: MachineState,
  event: { at: number; random: number },
  response: JoinResponse,
) {
  if (response.pre === true) return onPreOpen(state, event, response);
  const sameSeq = state.seq === response.seq && state.track !== null;
  const horizonMs = horizonFor(response.pollAfterMs);
  const sample = {
    serving: response.serving,
    ratePerSec: response.ratePerSec,
    at: event.at,
    horizonMs,
  };
  const track =
    sameSeq && state.track
      ? observeServing(state.track, sample)
      : createPositionTrack({ seq: response.seq, ...sample });
  const clockOffsetMs = clockOffsetFrom(response.serverTime, event.at, state.clockOffsetMs);
  // In this device's time, so "your place is kept until …" reads right on its clock.
  const ticketExpiresAt = response.ticketExpiresAt - clockOffsetMs;
  const next: MachineState = {
    ...state,
    inFlight: null,
    clockOffsetMs,
    // Always the ticket the server just gave: a refreshed one, or the ordinary ticket that
    // follows a pre-open one after the draw. The place (seq) is what stays.
    ticket: response.ticket,
    seq: response.seq,
    ticketExpiresAt,
    ticketRefreshBelowMs: nextRefreshBelow({
      previousExpiresAt: state.ticketExpiresAt,
      previousBelowMs: state.ticketRefreshBelowMs,
      expiresAt: ticketExpiresAt,
      at: event.at,
    }),
    holdSeconds: response.holdSeconds,
    serving: track.serving,
    ratePerSec: response.ratePerSec,
    roomStatus: response.status,
    track,
    lastUpdatedAt: event.at,
    problem: null,
    rejection: null,
    failures: 0,
    pollInterval: { pollAfterMs: response.pollAfterMs, scaled: false },
    opensAt: null,
    cohortOpensAt: null,
  };
  return proceed(next, event, next.pollInterval!, [{ type: 'persist' }]);
}

function onState(
  state: MachineState,
  event: { at: number; random: number },
  response: StateResponse,
) {
  const horizonMs = horizonFor(response.pollAfterMs);
  const sample = {
    serving: response.serving,
    ratePerSec: response.ratePerSec,
    at: event.at,
    horizonMs,
  };
  const track =
    state.track ?? (state.seq !== null ? createPositionTrack({ seq: state.seq, ...sample }) : null);
  const observed = track && state.track ? observeServing(track, sample) : track;
  const next: MachineState = {
    ...state,
    inFlight: null,
    serving: Math.max(state.serving ?? 0, response.serving),
    issued: response.issued,
    ratePerSec: response.ratePerSec,
    roomStatus: response.status,
    track: observed,
    lastUpdatedAt: event.at,
    problem: null,
    failures: 0,
    pollInterval: { pollAfterMs: response.pollAfterMs, scaled: true },
  };
  return proceed(next, event, next.pollInterval!, []);
}

function onFailure(
  state: MachineState,
  event: { at: number; random: number },
  request: RequestKind,
  failure: TransportFailure,
): Transition {
  const settled: MachineState = { ...state, inFlight: null };
  if (failure.kind === 'http' && failure.code === 'admission_used') {
    // The place was used to book already (another tab, a form posted elsewhere): the journey
    // is over, not broken, and claiming again would only be refused again.
    return toBooked(settled, event.at, 'already-used', false);
  }
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
  const pollFloorMs =
    request === 'state' && state.pollInterval
      ? pollDelay({
          ...state.pollInterval,
          position: positionOf(state, event.at),
          ratePerSec: state.ratePerSec,
          roomStatus: state.roomStatus ?? 'open',
          random: event.random,
        })
      : 0;
  const delayMs = retryDelay({
    attempt: state.failures,
    retryAfterMs: failure.kind === 'http' ? failure.retryAfterMs : null,
    random: event.random,
    pollFloorMs,
  });
  return schedule(
    {
      ...settled,
      status: 'reconnecting',
      problem: toProblem(failure),
      next: request,
      failures: state.failures + 1,
    },
    'retry',
    delayMs,
    event.at,
  );
}

function onAdmission(
  state: MachineState,
  event: { at: number },
  response: AdmitResponse,
): Transition {
  // Kept in this device's time, like every other instant the engine compares with its clock.
  const clockOffsetMs = clockOffsetFrom(response.serverTime, event.at, state.clockOffsetMs);
  const expiresAt = response.expiresAt - clockOffsetMs;
  return {
    state: {
      ...state,
      status: 'admitted',
      inFlight: null,
      next: null,
      nextAttemptAt: null,
      clockOffsetMs,
      admission: response.admission,
      admissionExpiresAt: expiresAt,
      problem: null,
      failures: 0,
      lastUpdatedAt: event.at,
    },
    effects: [
      { type: 'cancel', kinds: REQUEST_TIMERS },
      { type: 'persist' },
      {
        type: 'schedule',
        kind: 'admission-expiry',
        delayMs: Math.max(0, expiresAt - event.at),
      },
    ],
  };
}

/**
 * The end of the journey: nothing more to poll, time or claim. The ticket and admission are
 * forgotten (a new tab must not resurrect the admission), and the marker remembers the end, so
 * a reload shows it instead of taking a new place.
 */
function toBooked(
  state: MachineState,
  at: number,
  outcome: BookingOutcome,
  restored: boolean,
  record: BookedRecord = {
    seq: state.seq,
    outcome,
    at,
    until: bookedUntil(state.ticketExpiresAt, at),
  },
): Transition {
  return {
    // Nothing of the journey is kept but the place's number and the clock's error.
    state: {
      ...initialMachineState,
      status: 'booked',
      booking: { outcome, restored },
      seq: state.seq,
      clockOffsetMs: state.clockOffsetMs,
    },
    effects: [
      { type: 'abort' },
      { type: 'cancel', kinds: ALL_TIMERS },
      { type: 'mark-booked', record },
    ],
  };
}

function onStart(
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
  return send(base, 'join', event.at);
}

const ACTIVE: readonly QueueStatus[] = [
  'joining',
  'waiting',
  'reconnecting',
  'paused',
  'closed',
  'admitting',
];

/**
 * The next state and effects for `event`. Pure: the same input always gives the same output.
 *
 * @example
 * ```ts
 * let state = initialMachineState;
 * const { state: joining, effects } = transition(state, { type: 'start', stored: null, at: Date.now(), random: 0.5 });
 * // joining.status === 'joining'; effects include { type: 'join', ticket: null }
 * ```
 */
export function transition(state: MachineState, event: MachineEvent): Transition {
  switch (event.type) {
    case 'start':
      return onStart(state, event, event.stored, event.booked ?? null);
    case 'stop':
      if (state.status === 'idle') return unchanged(state);
      return {
        state: { ...state, status: 'idle', inFlight: null, next: null, nextAttemptAt: null },
        effects: [{ type: 'abort' }, { type: 'cancel', kinds: ALL_TIMERS }],
      };
    case 'joined':
      return state.inFlight === 'join' ? onJoined(state, event, event.response) : unchanged(state);
    case 'state-received':
      return state.inFlight === 'state' ? onState(state, event, event.response) : unchanged(state);
    case 'admission-received':
      return state.inFlight === 'admit'
        ? onAdmission(state, event, event.response)
        : unchanged(state);
    case 'request-failed':
      return state.inFlight === event.request
        ? onFailure(state, event, event.request, event.failure)
        : unchanged(state);
    case 'timer':
      if (event.kind === 'admission-expiry') {
        if (state.status !== 'admitted' || state.admission === null) return unchanged(state);
        return {
          state: { ...state, admission: null, problem: ADMISSION_EXPIRED },
          effects: [{ type: 'persist' }],
        };
      }
      if (!ACTIVE.includes(state.status) || state.inFlight || !state.next) return unchanged(state);
      return send(state, state.next, event.at);
    case 'retry-now':
      if (!ACTIVE.includes(state.status) || state.inFlight || !state.next) return unchanged(state);
      return send(state, state.next, event.at);
    case 'resume':
      // Coming back online or to the page is a good moment to look, but tab switching must not
      // become a way to poll faster than the protocol's floor.
      if (!ACTIVE.includes(state.status) || state.inFlight || !state.next) return unchanged(state);
      // A clock set back makes the last request look as if it were in the future; that must not
      // silence "online again" until the clock has caught up, hours or a day later.
      if (
        state.lastRequestAt !== null &&
        event.at >= state.lastRequestAt &&
        event.at - state.lastRequestAt < POLL_BOUNDS.minMs
      ) {
        return unchanged(state);
      }
      return send(state, state.next, event.at);
    case 'rejoin': {
      if (state.status === 'idle') return unchanged(state);
      const fresh: MachineState = { ...initialMachineState, status: 'joining' };
      const joined = send(fresh, 'join', event.at);
      return {
        state: joined.state,
        effects: [
          { type: 'abort' },
          { type: 'cancel', kinds: ALL_TIMERS },
          { type: 'discard-ticket' },
          ...joined.effects,
        ],
      };
    }
    case 'restore': {
      // The server refused a ticket it never gave this tab (storage edited by hand): rejoin
      // with the one it did give, as a start from storage would, instead of losing the place.
      if (!ACTIVE.includes(state.status)) return unchanged(state);
      const restored: MachineState = {
        ...initialMachineState,
        status: 'joining',
        ticket: event.stored.ticket,
        seq: event.stored.seq || null,
        ticketExpiresAt: event.stored.ticketExpiresAt,
      };
      const joined = send(restored, 'join', event.at);
      return {
        state: joined.state,
        effects: [{ type: 'abort' }, { type: 'cancel', kinds: ALL_TIMERS }, ...joined.effects],
      };
    }
    case 'complete':
      if (state.status === 'idle') return unchanged(state);
      // Final: a later "already used" (a second click's answer) does not undo a booking seen
      // to succeed; a success seen after "already used" does say more.
      if (
        state.status === 'booked' &&
        (state.booking?.outcome === 'booked' || event.outcome === 'already-used')
      ) {
        return unchanged(state);
      }
      return toBooked(state, event.at, event.outcome, false);
    case 'reclaim': {
      if (state.status === 'idle' || state.status === 'rejected' || !state.ticket)
        return unchanged(state);
      if (state.status === 'admitted' && state.admission !== null) return unchanged(state);
      const claiming: MachineState = {
        ...state,
        status: 'admitting',
        admission: null,
        admissionExpiresAt: null,
        problem: null,
        inFlight: null,
      };
      const claimed = send(claiming, 'admit', event.at);
      return {
        state: claimed.state,
        effects: [{ type: 'abort' }, { type: 'cancel', kinds: ALL_TIMERS }, ...claimed.effects],
      };
    }
  }
}
