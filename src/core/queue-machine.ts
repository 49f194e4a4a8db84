/**
 * The queue as a pure state machine: `transition(state, event) -> { state, effects }`.
 *
 * No I/O and no clock: time (`at`) and randomness (`random`) arrive inside events, requests and
 * timers leave as effect data, and the engine (`queue-engine.ts`) carries them out. That keeps
 * every rule (above all: only the server's explicit refusal ever costs a visitor their place)
 * testable state by state without a network or a timer.
 *
 * The rules live by job: the data in `machine-state.ts`, the server's answers in
 * `machine-answers.ts`, failed requests in `machine-failures.ts`, commands and timers in
 * `machine-commands.ts`, the visitor's identity in `machine-identity.ts`, and what they share in `machine-shared.ts`. This module joins them.
 */
import { onAdmission, onJoined, onState } from './machine-answers.js';
import {
  onAdmissionExpiry,
  onComplete,
  onLookNow,
  onRecheck,
  onReclaim,
  onRejoin,
  onRestore,
  onResume,
  onRetryNow,
  onStart,
  onStop,
} from './machine-commands.js';
import { onFailure } from './machine-failures.js';
import { onIdentityChanged } from './machine-identity.js';
import { unchanged } from './machine-shared.js';
import type { MachineEvent, MachineState, Transition } from './machine-state.js';

export {
  ADMISSION_EXPIRED,
  CLOCK_SKEW_TOLERANCE_MS,
  initialMachineState,
  type MachineEffect,
  type MachineEvent,
  type JoinIdentity,
  type MachineState,
  type RequestKind,
  type TimerKind,
  type Transition,
} from './machine-state.js';

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
      return onStop(state);
    // An answer counts only for the request in flight: a late one was overtaken.
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
      return event.kind === 'admission-expiry' ? onAdmissionExpiry(state) : onLookNow(state, event);
    case 'retry-now':
      return onRetryNow(state, event);
    case 'resume':
      return onResume(state, event);
    case 'rejoin':
      return onRejoin(state, event);
    case 'restore':
      return onRestore(state, event, event.stored);
    case 'complete':
      return onComplete(state, event, event.outcome);
    case 'reclaim':
      return onReclaim(state, event);
    case 'recheck':
      return onRecheck(state, event);
    case 'identity-changed':
      return onIdentityChanged(state, event);
  }
}
