/**
 * Building blocks for tests of the pure machine: events stamped with a time and a random draw,
 * protocol answers with defaults, and the states most tests start from.
 */
import type { AdmitResponse, ErrorCode, JoinResponse } from '../../../src/protocol.js';
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

/** An admit answer valid for two minutes. */
export const admitAnswer: AdmitResponse = { admission: 'admission-a', expiresAt: T0 + 120_000 };

/** A non-2xx answer with the server's error `code`. */
export const httpFailure = (status: number, code: ErrorCode | null): TransportFailure => ({
  kind: 'http',
  status,
  code,
  message: 'refused',
  retryAfterMs: null,
});

/** The state after `events`, from `start`. */
export function run(start: MachineState, ...events: MachineEvent[]): MachineState {
  return events.reduce((current, event) => transition(current, event).state, start);
}

/** The types of `effects`, in order. */
export const types = (effects: MachineEffect[]) => effects.map((effect) => effect.type);

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
