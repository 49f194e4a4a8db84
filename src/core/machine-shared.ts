/**
 * What the queue machine's rules share: sending a request, scheduling the next one, the
 * position in line, the clock's error, what follows a successful answer, and the end of the
 * journey. Pure, like the rest of the machine.
 */
import { bookedUntil } from './booked-store.js';
import type { BookedRecord } from './booked-store.js';
import { CLOCK_SKEW_TOLERANCE_MS, initialMachineState } from './machine-state.js';
import type {
  MachineEffect,
  MachineState,
  RequestKind,
  TimerKind,
  Transition,
} from './machine-state.js';
import { positionAt } from './position-estimate.js';
import { pollDelay } from './poll-schedule.js';
import { refreshDue } from './ticket-refresh.js';
import type { BookingOutcome } from './types.js';

/** The time and random draw every event carries. */
export interface Moment {
  at: number;
  random: number;
}

/** The poll interval of an answer, as `pollDelay` takes it. */
export type PollInterval = NonNullable<MachineState['pollInterval']>;

export const REQUEST_TIMERS: readonly TimerKind[] = ['poll', 'retry'];
export const ALL_TIMERS: readonly TimerKind[] = ['poll', 'retry', 'admission-expiry'];

export const unchanged = (state: MachineState): Transition => ({ state, effects: [] });

/**
 * The device clock's error against the server's, from an answer's `serverTime`. Only join and
 * admit answers carry it: they are never cached, while a state answer may be minutes old (a
 * quiet room, a CDN) and would read as a clock error that is not there.
 */
export function clockOffsetFrom(
  serverTime: number | undefined,
  at: number,
  previous: number,
): number {
  if (serverTime === undefined) return previous;
  const offset = serverTime - at;
  return Math.abs(offset) > CLOCK_SKEW_TOLERANCE_MS ? offset : 0;
}

export function send(state: MachineState, request: RequestKind, at: number): Transition {
  const effects: MachineEffect[] = [{ type: 'cancel', kinds: REQUEST_TIMERS }];
  if (request === 'admit') {
    if (!state.ticket) return unchanged(state);
    effects.push({ type: 'admit', ticket: state.ticket });
  } else if (request === 'join') {
    const { joinIdentity } = state;
    effects.push({
      type: 'join',
      ticket: state.ticket,
      ...(joinIdentity ? { identity: joinIdentity } : {}),
    });
  } else {
    effects.push({ type: 'poll-state' });
  }
  return {
    state: { ...state, next: request, inFlight: request, lastRequestAt: at, nextAttemptAt: null },
    effects,
  };
}

export function schedule(
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

/**
 * Places ahead in line at `at`: the estimate once there is one, else the last answer's figures,
 * or null when the place or the line is not known yet.
 */
export function linePosition(state: MachineState, at: number): number | null {
  if (state.track) return positionAt(state.track, at);
  return state.seq !== null && state.serving !== null
    ? Math.max(0, state.seq - state.serving)
    : null;
}

/**
 * The next poll's delay for this visitor, from an answer's interval: scaled by the distance
 * from the front, slower while the room is not open, jittered.
 */
export function nextPollDelay(
  state: MachineState,
  interval: PollInterval,
  position: number,
  random: number,
): number {
  return pollDelay({
    ...interval,
    position,
    ratePerSec: state.ratePerSec,
    roomStatus: state.roomStatus ?? 'open',
    random,
  });
}

/**
 * After a successful answer: claim admission when the turn came, otherwise poll again. The
 * delay for the next poll comes from the answer (`ownInterval` for a join, already scaled for
 * this visitor; the room's base for a state answer).
 */
export function proceed(
  state: MachineState,
  event: Moment,
  interval: PollInterval,
  effects: MachineEffect[],
): Transition {
  const roomStatus = state.roomStatus ?? 'open';
  const position = linePosition(state, event.at) ?? 0;
  // A ticket near its end is refreshed by joining again instead of the next state poll: the
  // join answer carries the line's figures too, so the refresh costs no extra request.
  const watch: RequestKind =
    state.ticket !== null && refreshDue(state.ticketExpiresAt, state.ticketRefreshBelowMs, event.at)
      ? 'join'
      : 'state';
  const delay = () => nextPollDelay(state, interval, position, event.random);
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

/**
 * The end of the journey: nothing more to poll, time or claim. The ticket and admission are
 * forgotten (a new tab must not resurrect the admission), and the marker remembers the end, so
 * a reload shows it instead of taking a new place.
 */
export function toBooked(
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
