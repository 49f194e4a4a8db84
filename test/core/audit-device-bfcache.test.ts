import { expect } from '@open-wc/testing';
import { createDomLifecycle } from '../../src/core/lifecycle.js';
import type { LifecycleSource } from '../../src/core/lifecycle.js';
import { createHarness, tabEngine } from './helpers/engine-harness.js';

/** A lifecycle whose pause (the back/forward cache) and resume the test signals. */
function pausableLifecycle(): LifecycleSource & { pause(): void; resume(): void } {
  let handlers: { paused: () => void; resumed: () => void } | null = null;
  return {
    subscribe: () => () => undefined,
    subscribePause(paused, resumed) {
      handlers = { paused, resumed };
      return () => void (handlers = null);
    },
    pause: () => handlers?.paused(),
    resume: () => handlers?.resumed(),
  };
}

describe('a page that leaves for another one and is kept in the back/forward cache', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  it('lets the other tab lead while it is away, and follows it when it comes back', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { until, requestsTo, simulator, clock } = harness;
    const away = pausableLifecycle();
    const a = tabEngine(harness, { lifecycle: away });
    a.start();
    const first = await until(a, (s) => s.status === 'waiting' && s.isLeader);
    const b = tabEngine(harness);
    b.start();
    await until(b, (s) => s.status === 'waiting' && !s.isLeader);

    away.pause();
    // The page in the cache cannot run: the other tab must take the lead, or nobody watches
    // the line and the turn passes unclaimed.
    const took = await until(b, (s) => s.isLeader && s.status === 'waiting', 'b never led');
    expect(took.seq).to.equal(first.seq);
    expect(a.getSnapshot()).to.include({ isLeader: false, seq: first.seq, status: 'waiting' });
    simulator.advance(11);
    await clock.advance(10_000);
    await until(b, (s) => s.status === 'admitted', 'b never claimed the turn');

    away.resume();
    const back = await until(a, (s) => s.status === 'admitted', 'a never followed');
    expect(back).to.include({ isLeader: false, seq: first.seq });
    expect(back.admission).to.equal(b.getSnapshot().admission);
    // One place: a new tab's join with the ticket, no new place, one claim.
    expect(requestsTo('join').filter((join) => !join.ticket)).to.have.length(1);
    expect(requestsTo('admit')).to.have.length(1);
  });

  it('withdraws its own wait for the lead meanwhile, so a running tab gets it', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { until } = harness;
    const a = tabEngine(harness);
    a.start();
    await until(a, (s) => s.status === 'waiting' && s.isLeader);
    const away = pausableLifecycle();
    const b = tabEngine(harness, { lifecycle: away });
    b.start();
    await until(b, (s) => s.status === 'waiting');
    away.pause();
    const c = tabEngine(harness);
    c.start();
    await until(c, (s) => s.status === 'waiting' && !s.isLeader);

    a.stop();
    await until(c, (s) => s.isLeader && s.status === 'waiting', 'the running tab never led');
    expect(b.getSnapshot().isLeader).to.equal(false);
  });

  it('hears the browser: a pagehide that keeps the page, and its pageshow', () => {
    const window = new EventTarget();
    const document = new EventTarget() as unknown as Document;
    const seen: string[] = [];
    const stop = createDomLifecycle({ window, document }).subscribePause!(
      () => seen.push('paused'),
      () => seen.push('resumed'),
    );
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    stop();
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(seen).to.deep.equal(['paused', 'resumed']);
  });
});
