/**
 * Asking the server whether the admission on screen was used (a form sent from another tab):
 * the journey ends as booked if it was, and nothing else the server says disturbs the admission.
 */
import { expect } from '@open-wc/testing';
import { transition } from '../../src/core/queue-machine.js';
import { readMessage } from '../../src/core/tab-messages.js';
import {
  T0,
  admitAnswer,
  admitted,
  at,
  httpFailure,
  run,
  types,
  waiting,
} from './helpers/machine-events.js';

describe('queue-machine: rechecking the admission', () => {
  it('claims again while admitted, keeping the admission on screen meanwhile', () => {
    const { state, effects } = transition(admitted(), at({ type: 'recheck' }, T0 + 5000));
    expect(state.status).to.equal('admitted');
    expect(state.admission).to.equal(admitAnswer.admission);
    expect(state.inFlight).to.equal('admit');
    expect(types(effects)).to.include('admit');
  });

  it('ends the journey when the server says the admission was used', () => {
    const asking = run(admitted(), at({ type: 'recheck' }, T0 + 5000));
    const { state } = transition(
      asking,
      at({ type: 'request-failed', request: 'admit', failure: httpFailure(409, 'admission_used') }),
    );
    expect(state.status).to.equal('booked');
    expect(state.booking?.outcome).to.equal('already-used');
    expect(state.admission).to.equal(null);
  });

  it('keeps the admission and its expiry when the answer is the same admission, or no answer', () => {
    const asking = run(admitted(), at({ type: 'recheck' }, T0 + 5000));
    const same = transition(asking, at({ type: 'admission-received', response: admitAnswer }));
    expect(same.state.status).to.equal('admitted');
    expect(same.state.admission).to.equal(admitAnswer.admission);
    for (const failure of [
      { kind: 'network' as const, message: 'offline' },
      httpFailure(503, 'overloaded'),
    ]) {
      const failed = transition(
        asking,
        at({ type: 'request-failed', request: 'admit', failure }, T0 + 6000),
      );
      expect(failed.state.status, failure.kind).to.equal('admitted');
      expect(failed.state.admission, failure.kind).to.equal(admitAnswer.admission);
      expect(failed.state.problem, failure.kind).to.equal(null);
      expect(failed.state.inFlight, failure.kind).to.equal(null);
      expect(failed.effects, failure.kind).to.deep.equal([]);
    }
  });

  it('does nothing outside an admission, or while a request is in flight', () => {
    const twice = run(admitted(), at({ type: 'recheck' }));
    expect(transition(twice, at({ type: 'recheck' })).effects).to.deep.equal([]);
    const line = waiting();
    expect(transition(line, at({ type: 'recheck' })).state).to.equal(line);
  });

  it('is a command a following tab may send to the leading one', () => {
    const sent = { ns: 'queue-gate', v: 1, type: 'command', from: 'tab-2', command: 'recheck' };
    expect(readMessage(sent)).to.deep.equal({
      type: 'command',
      from: 'tab-2',
      command: 'recheck',
    });
  });
});
