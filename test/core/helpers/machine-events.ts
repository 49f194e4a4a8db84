/**
 * Building blocks for tests of the pure machine: events stamped with a time and a random draw,
 * protocol answers with defaults, and the states most tests start from.
 */
import type {
  AdmitResponse,
  ErrorCode,
  JoinResponse,
  StateResponse,
} from '../../../src/protocol.js';
import type { TransportFailure } from '../../../src/core/errors.js';
import { initialMachineState, transition } from '../../../src/core/queue-machine.js';
import type { MachineEffect, MachineEvent, MachineState } from '../../../src/core/queue-machine.js';

/** The moment every machine test starts at. */
export const T0 = 1_000_000;

/** A machine event without its time and random draw. */
export type EventInput = MachineEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'at' | 'random'>
    : never
  : never;

/** `event` at `time` (default {@link T0}) with the middle random draw. */
export const at = (event: EventInput, time = T0, random = 0.5): MachineEvent =>
  ({ ...event, at: time, random }) as MachineEvent;

/** A join answer: seq 50, ten served, a ticket that lives a day. */
export const joinAnswer = (overrides: Partial<JoinResponse> = {}): JoinResponse => ({
  ticket: 'ticket-a',
  seq: 50,
  serving: 10,
  position: 40,
  ratePerSec: 2,
  pollAfterMs: 4000,
  ticketExpiresAt: T0 + 86_400_000,
  holdSeconds: 600,
  status: 'open',
  ...overrides,
});

/** A state answer: twenty served of ninety issued, two a second. */
export const stateAnswer = (overrides: Partial<StateResponse> = {}): StateResponse => ({
  status: 'open',
  serving: 20,
  issued: 90,
  ratePerSec: 2,
  pollAfterMs: 2000,
  updatedAt: T0,
  ...overrides,
});

/** An admit answer valid for two minutes. */
export const admitAnswer: AdmitResponse = { admission: 'admission-a', expiresAt: T0 + 120_000 };

/** A non-2xx answer with the server's error `code` (and its `Retry-After`, if any). */
export const httpFailure = (
  status: number,
  code: ErrorCode | null,
  retryAfterMs: number | null = null,
): TransportFailure => ({
  kind: 'http',
  status,
  code,
  message: 'refused',
  retryAfterMs,
});

/** A `403 cohort_not_open` join refusal, saying when the cohort opens if `opensAt` is given. */
export const cohortNotOpen = (opensAt?: number): TransportFailure => ({
  ...httpFailure(403, 'cohort_not_open'),
  message: 'not yet',
  ...(opensAt === undefined ? {} : { opensAt }),
});

/** The state after `events`, from `start`. */
export function run(start: MachineState, ...events: MachineEvent[]): MachineState {
  return events.reduce((current, event) => transition(current, event).state, start);
}

/** The types of `effects`, in order. */
export const types = (effects: MachineEffect[]) => effects.map((effect) => effect.type);

/** The first `schedule` effect among `effects`. */
export const scheduled = (effects: MachineEffect[]) =>
  effects.find(
    (effect): effect is Extract<MachineEffect, { type: 'schedule' }> => effect.type === 'schedule',
  );

/** A visitor whose turn came: joined at seq 50 with serving 50, claiming. */
export const admitting = () =>
  run(
    initialMachineState,
    at({ type: 'start', stored: null }),
    at({ type: 'joined', response: joinAnswer({ serving: 50, position: 0 }) }),
  );

/** A visitor holding the admission of {@link admitAnswer}. */
export const admitted = () =>
  run(admitting(), at({ type: 'admission-received', response: admitAnswer }));

/** A visitor waiting at seq 50 (40 places to go). */
export const waiting = () =>
  run(
    initialMachineState,
    at({ type: 'start', stored: null }),
    at({ type: 'joined', response: joinAnswer() }),
  );
