/**
 * Pins the delays the machine asks for around an opening (a pre-open ticket, a cohort that is
 * not open yet) to the formulas they had before they moved to `openingDelay` in
 * `poll-schedule.ts`: the two differ below the poll floor, and both must stay as they were.
 */
import { expect } from '@open-wc/testing';
import { POLL_BOUNDS } from '../../src/protocol.js';
import type { JoinResponse } from '../../src/protocol.js';
import { initialMachineState, transition } from '../../src/core/queue-machine.js';
import type { MachineEffect } from '../../src/core/queue-machine.js';
import { T0, at, cohortNotOpen, joinAnswer, run } from './helpers/machine-events.js';

const { minMs, maxMs } = POLL_BOUNDS;
const RANDOMS = [0, 0.001, 0.25, 0.5, 0.999];
const spread = (random: number) => Math.floor(random * 5000);

const scheduledDelay = (effects: MachineEffect[]) => {
  const effect = effects.find((e) => e.type === 'schedule');
  return effect?.type === 'schedule' ? effect.delayMs : undefined;
};

const joining = () => run(initialMachineState, at({ type: 'start', stored: null }));

describe('machine delays around an opening', () => {
  it('joins a pre-open ticket again the opening (floored first), then a spread, capped', () => {
    const untils = [-5000, 0, 1, minMs - 1, minMs, 12_345, maxMs - 100, maxMs, maxMs * 3];
    for (const pollAfterMs of untils) {
      for (const random of RANDOMS) {
        const response: JoinResponse = joinAnswer({
          seq: 0,
          position: 0,
          pre: true,
          opensAt: T0 + Math.max(0, pollAfterMs),
          pollAfterMs,
        });
        const result = transition(joining(), { type: 'joined', response, at: T0, random });
        const expected = Math.min(maxMs, Math.max(minMs, pollAfterMs) + spread(random));
        expect(scheduledDelay(result.effects), `${pollAfterMs} ${random}`).to.equal(expected);
        expect(result.state.nextAttemptAt).to.equal(T0 + expected);
      }
    }
  });

  it('joins again when a cohort opens: the wait plus a spread, within the poll bounds', () => {
    const untils = [-60_000, -1, 0, 1, minMs - 1, minMs, 12_345, maxMs, maxMs * 3, undefined];
    for (const until of untils) {
      for (const random of RANDOMS) {
        const result = transition(joining(), {
          type: 'request-failed',
          request: 'join',
          failure: cohortNotOpen(until === undefined ? undefined : T0 + until),
          at: T0,
          random,
        });
        const untilOpen = until ?? maxMs;
        const expected = Math.min(maxMs, Math.max(minMs, untilOpen + spread(random)));
        expect(scheduledDelay(result.effects), `${until} ${random}`).to.equal(expected);
        expect(result.state.status).to.equal(until === undefined ? 'closed' : 'paused');
      }
    }
  });
});
