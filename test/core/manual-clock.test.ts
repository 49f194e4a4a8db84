import { expect } from '@open-wc/testing';
import { createManualClock } from '../../src/core/manual-clock.js';

describe('manual-clock', () => {
  it('fires due timers in time order only when advanced', async () => {
    const clock = createManualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const cancelled = clock.setTimeout(() => fired.push('never'), 150);
    clock.clearTimeout(cancelled);
    expect(fired).to.deep.equal([]);
    await clock.advance(150);
    expect(fired).to.deep.equal(['a@1100']);
    expect(clock.now()).to.equal(1150);
    expect(clock.pendingDelays()).to.deep.equal([50]);
    expect(await clock.runNext()).to.equal(true);
    expect(fired).to.deep.equal(['a@1100', 'b@1200']);
    expect(await clock.runNext()).to.equal(false);
  });

  it('lets async work started by a timer schedule its follow-up within one advance', async () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 100));
    }, 100);
    await clock.advance(250);
    expect(fired).to.deep.equal([200]);
  });
});
