import { expect } from '@open-wc/testing';
import { POLL_BOUNDS } from '../../src/protocol.js';
import type { JoinResponse } from '../../src/protocol.js';
import { createHttpTransport } from '../../src/core/http-transport.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { initialMachineState, transition } from '../../src/core/queue-machine.js';
import type { MachineEffect, MachineState } from '../../src/core/queue-machine.js';
import { parseJoinResponse } from '../../src/core/response-parsers.js';
import { cohortNotOpen } from './helpers/machine-events.js';

const T0 = 1_000_000;
const OPENS = T0 + 10 * 60_000;

const preOpen: JoinResponse = {
  ticket: 'pre-ticket',
  seq: 0,
  serving: 0,
  position: 0,
  ratePerSec: 0,
  pollAfterMs: 60_000,
  ticketExpiresAt: T0 + 86_400_000,
  holdSeconds: 300,
  status: 'open',
  serverTime: T0,
  pre: true,
  opensAt: OPENS,
};

const started = (): MachineState =>
  transition(initialMachineState, { type: 'start', stored: null, at: T0, random: 0.5 }).state;
const scheduled = (effects: MachineEffect[]) =>
  effects.find(
    (effect): effect is Extract<MachineEffect, { type: 'schedule' }> => effect.type === 'schedule',
  );

describe('opening day in the core', () => {
  it('accepts a pre-open join answer and refuses a place of 0 without it', () => {
    expect(parseJoinResponse(preOpen)).to.deep.include({ seq: 0, pre: true, opensAt: OPENS });
    expect(parseJoinResponse({ ...preOpen, pre: undefined })).to.equal(null);
    expect(parseJoinResponse({ ...preOpen, seq: 3 })).to.equal(null);
    expect(parseJoinResponse({ ...preOpen, opensAt: undefined })).to.equal(null);
    expect(parseJoinResponse({ ...preOpen, pre: 'yes' })).to.equal(null);
  });

  it('holds a pre-open ticket without claiming anything, then joins again with it after the opening', () => {
    const { state, effects } = transition(started(), {
      type: 'joined',
      response: preOpen,
      at: T0,
      random: 0.5,
    });
    expect(state.status).to.equal('waiting');
    expect(state.seq).to.equal(null);
    expect(state.opensAt).to.equal(OPENS);
    expect(state.ticket).to.equal('pre-ticket');
    expect(effects.map((effect) => effect.type)).to.not.include('admit');
    expect(effects.map((effect) => effect.type)).to.include('persist');
    const delay = scheduled(effects)!.delayMs;
    expect(delay).to.be.at.least(POLL_BOUNDS.minMs);
    expect(delay).to.be.at.most(POLL_BOUNDS.maxMs);

    const fired = transition(state, { type: 'timer', kind: 'poll', at: T0 + delay, random: 0.5 });
    expect(fired.effects).to.deep.include({ type: 'join', ticket: 'pre-ticket' });

    const drawn = transition(fired.state, {
      type: 'joined',
      response: { ...preOpen, pre: undefined, seq: 7, position: 7, ticket: 'drawn-ticket' },
      at: OPENS + 3000,
      random: 0.5,
    });
    expect(drawn.state.status).to.equal('waiting');
    expect(drawn.state.seq).to.equal(7);
    expect(drawn.state.opensAt).to.equal(null);
    expect(drawn.state.ticket).to.equal('drawn-ticket');
  });

  it('waits for a cohort that is not open without taking a place, and joins when it opens', () => {
    const joining = transition(started(), { type: 'start', stored: null, at: T0, random: 0 });
    const failed = transition(joining.state, {
      type: 'request-failed',
      request: 'join',
      failure: cohortNotOpen(T0 + 30_000),
      at: T0,
      random: 0,
    });
    expect(failed.state.status).to.equal('paused');
    expect(failed.state.cohortOpensAt).to.equal(T0 + 30_000);
    expect(failed.state.problem?.code).to.equal('cohort_not_open');
    expect(failed.state.ticket).to.equal(null);
    expect(scheduled(failed.effects)!.delayMs).to.equal(30_000);
    const fired = transition(failed.state, {
      type: 'timer',
      kind: 'retry',
      at: T0 + 30_000,
      random: 0,
    });
    expect(fired.effects).to.deep.include({ type: 'join', ticket: null, identity: 'ask' });
  });

  it('sends the cohort with a first join only, and reads when a refused cohort opens', async () => {
    const bodies: unknown[] = [];
    const transport = createHttpTransport({
      endpoint: 'https://queue.test',
      room: 'vaccine',
      cohort: '3',
      clock: createManualClock(),
      fetch: async (_url, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return new Response(
          JSON.stringify({ error: { code: 'cohort_not_open', message: 'later', opensAt: OPENS } }),
          { status: 403, headers: { 'Content-Type': 'application/json' } },
        );
      },
    });
    const first = await transport.join(null);
    await transport.join('held-ticket');
    expect(bodies).to.deep.equal([{ cohort: '3' }, { ticket: 'held-ticket' }]);
    expect(first.ok).to.equal(false);
    if (!first.ok && first.failure.kind === 'http') {
      expect(first.failure.code).to.equal('cohort_not_open');
      expect(first.failure.opensAt).to.equal(OPENS);
    } else {
      expect.fail('expected an http failure');
    }
  });
});
