/**
 * Tiny protocol calls for the mocks' tests, so each test reads as the behaviour it checks.
 */
import type { QueueSimulator } from '../../src/mocks/queue-simulator.js';
import type { ErrorResponse, JoinResponse } from '../../src/protocol.js';

export const ORIGIN = 'https://queue.test';

/** A settable clock for the simulator's `now` option. */
export interface ManualClock {
  now: () => number;
  tick(ms: number): void;
  t: number;
}

export function manualClock(start = Date.UTC(2026, 4, 1, 9, 0, 0)): ManualClock {
  const clock: ManualClock = {
    t: start,
    now: () => clock.t,
    tick(ms) {
      clock.t += ms;
    },
  };
  return clock;
}

export function join(sim: QueueSimulator, body: unknown = {}, room = 'demo'): Promise<Response> {
  return sim.fetch(`${ORIGIN}/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function joinOk(sim: QueueSimulator, ticket?: string): Promise<JoinResponse> {
  const response = await join(sim, ticket === undefined ? {} : { ticket });
  if (response.status !== 200) throw new Error(`join answered ${response.status}`);
  return (await response.json()) as JoinResponse;
}

export function state(
  sim: QueueSimulator,
  headers: Record<string, string> = {},
): Promise<Response> {
  return sim.fetch(`${ORIGIN}/rooms/demo/state`, { headers });
}

export function admit(sim: QueueSimulator, ticket: string): Promise<Response> {
  return sim.fetch(`${ORIGIN}/rooms/demo/admit`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ticket}` },
  });
}

/** The error code of a protocol error answer. */
export async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as ErrorResponse).error.code;
}
