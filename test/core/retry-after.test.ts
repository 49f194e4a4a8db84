/**
 * The server's `Retry-After` binds the visitor's "Try now" too, and the machine tells a UI how
 * long requests have been failing (one lost request is not a lost connection). The engine
 * reports the truth at once (`reconnecting`); how calmly to show it is the element's call.
 */
import { expect } from '@open-wc/testing';
import { transition } from '../../src/core/queue-machine.js';
import type { MachineState } from '../../src/core/queue-machine.js';
import { snapshotOf } from '../../src/core/queue-snapshot.js';
import { T0, at, httpFailure, run, stateAnswer, types, waiting } from './helpers/machine-events.js';
import { initialMachineState } from '../../src/core/machine-state.js';

const snapshot = (state: MachineState) =>
  snapshotOf(state, { room: 'r', endpoint: 'e', isLeader: true, position: null });

/** A first join refused with 503 and `Retry-After: 12`: no ticket, the server asked for 12 s. */
const busyBeforeJoin = () =>
  run(
    initialMachineState,
    at({ type: 'start', stored: null }),
    at({
      type: 'request-failed',
      request: 'join',
      failure: httpFailure(503, 'overloaded', 12_000),
    }),
  );

describe('Retry-After and "Try now"', () => {
  it('keeps when the server asked to be asked again', () => {
    const state = busyBeforeJoin();
    expect(state.status).to.equal('reconnecting');
    expect(state.problem?.retryAt).to.equal(T0 + 12_000);
    expect(state.ticket).to.equal(null);
  });

  for (const event of [{ type: 'retry-now' }, { type: 'resume' }] as const) {
    it(`sends nothing on ${event.type} before the server's time, and the join at it`, () => {
      const early = transition(busyBeforeJoin(), at(event, T0 + 11_999));
      expect(early.effects).to.deep.equal([]);
      expect(early.state.inFlight).to.equal(null);
      const due = transition(busyBeforeJoin(), at(event, T0 + 12_000));
      expect(types(due.effects)).to.include('join');
    });
  }

  it('retries at once on "Try now" when the server gave no time', () => {
    const state = run(
      initialMachineState,
      at({ type: 'start', stored: null }),
      at({ type: 'request-failed', request: 'join', failure: { kind: 'network', message: 'x' } }),
    );
    expect(state.problem?.retryAt).to.equal(undefined);
    expect(types(transition(state, at({ type: 'retry-now' }, T0 + 10)).effects)).to.include('join');
  });
});

describe('how long requests have been failing', () => {
  const fail = (state: MachineState, time: number) =>
    run(
      state,
      at({ type: 'timer', kind: 'poll' }, time),
      at(
        { type: 'request-failed', request: 'state', failure: { kind: 'network', message: 'x' } },
        time,
      ),
    );

  it('counts failures in a row from the first one, and forgets them with an answer', () => {
    const once = fail(waiting(), T0 + 1000);
    expect([snapshot(once).failures, snapshot(once).failingSince]).to.deep.equal([1, T0 + 1000]);
    const twice = fail(once, T0 + 5000);
    expect([snapshot(twice).failures, snapshot(twice).failingSince]).to.deep.equal([2, T0 + 1000]);
    const answered = run(
      twice,
      at({ type: 'timer', kind: 'retry' }, T0 + 9000),
      at({ type: 'state-received', response: stateAnswer() }, T0 + 9000),
    );
    expect([snapshot(answered).failures, snapshot(answered).failingSince]).to.deep.equal([0, null]);
    // A new run of failures starts its own clock.
    const again = fail(answered, T0 + 30_000);
    expect(snapshot(again).failingSince).to.equal(T0 + 30_000);
  });

  it('says the ticket is kept in storage unless the store fell back to memory', () => {
    const base = { room: 'r', endpoint: 'e', isLeader: true, position: null };
    expect(snapshotOf(waiting(), base).persistence).to.equal('storage');
    expect(snapshotOf(waiting(), { ...base, persistence: 'memory' }).persistence).to.equal(
      'memory',
    );
  });
});
