/**
 * The queue machine's rules for the server's answers: a join (a place, a refreshed ticket, or a
 * pre-open ticket), a state poll, and an admission.
 */
import type { AdmitResponse, JoinResponse, StateResponse } from '../protocol.js';
import { clockOffsetFrom, proceed, REQUEST_TIMERS, schedule } from './machine-shared.js';
import type { Moment } from './machine-shared.js';
import type { MachineState, Transition } from './machine-state.js';
import { createPositionTrack, observeServing } from './position-estimate.js';
import { clampPollMs, openingDelay } from './poll-schedule.js';
import { nextRefreshBelow } from './ticket-refresh.js';

/** After a join answer: the identity (if any) did its work; later joins need not ask. */
const IDENTITY_SETTLED = { joinIdentity: null, identityRetried: false } as const;

/** An answer's line figures as the position estimate takes them. */
function sampleOf(response: JoinResponse | StateResponse, at: number) {
  return {
    serving: response.serving,
    ratePerSec: response.ratePerSec,
    at,
    horizonMs: clampPollMs(response.pollAfterMs),
  };
}

/**
 * A pre-open ticket: no place until the room opens, so nothing to claim and no line to watch.
 * The engine joins again with the ticket after the opening (the server's `pollAfterMs`), spread
 * over a few seconds: the draw does not reward being first, so nobody needs to be.
 */
function onPreOpen(state: MachineState, event: Moment, response: JoinResponse): Transition {
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
    ...IDENTITY_SETTLED,
  };
  // Spread even when the opening is due already: nobody gains by coming at the very instant.
  const delayMs = openingDelay(clampPollMs(response.pollAfterMs), event.random);
  return schedule(next, 'poll', delayMs, event.at, [{ type: 'persist' }]);
}

export function onJoined(state: MachineState, event: Moment, response: JoinResponse): Transition {
  if (response.pre === true) return onPreOpen(state, event, response);
  const sameSeq = state.seq === response.seq && state.track !== null;
  const sample = sampleOf(response, event.at);
  const track =
    sameSeq && state.track
      ? observeServing(state.track, sample)
      : createPositionTrack({ seq: response.seq, ...sample });
  const clockOffsetMs = clockOffsetFrom(response.serverTime, event.at, state.clockOffsetMs);
  // In this device's time, so "your place is kept until …" reads right on its clock.
  const ticketExpiresAt = response.ticketExpiresAt - clockOffsetMs;
  const pollInterval = { pollAfterMs: response.pollAfterMs, scaled: false };
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
    pollInterval,
    opensAt: null,
    cohortOpensAt: null,
    ...IDENTITY_SETTLED,
  };
  return proceed(next, event, pollInterval, [{ type: 'persist' }]);
}

export function onState(state: MachineState, event: Moment, response: StateResponse): Transition {
  const sample = sampleOf(response, event.at);
  const track =
    state.track ?? (state.seq !== null ? createPositionTrack({ seq: state.seq, ...sample }) : null);
  const observed = track && state.track ? observeServing(track, sample) : track;
  const pollInterval = { pollAfterMs: response.pollAfterMs, scaled: true };
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
    pollInterval,
  };
  return proceed(next, event, pollInterval, []);
}

export function onAdmission(
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
