import { expect } from '@open-wc/testing';
import { bookedStorageKey } from '../../src/core/booked-store.js';
import { createTabCoordinator } from '../../src/core/tab-coordinator.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import { memoryStorage } from './helpers/test-doubles.js';

const MIN = 60_000;

describe('queue-engine: a finished journey', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  const keys = () => ({
    ticket: ticketStorageKey(ENDPOINT, harness.room),
    booked: bookedStorageKey(ENDPOINT, harness.room),
  });

  async function admittedEngine(): Promise<{ queue: QueueEngine; admitted: QueueSnapshot }> {
    const queue = harness.engine();
    queue.start();
    harness.simulator.advance(11);
    const admitted = await harness.until(queue, (s) => s.status === 'admitted');
    return { queue, admitted };
  }

  it('stays booked after complete: no requests, no admission expiry, nothing to claim', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { queue } = await admittedEngine();
    const seen: QueueSnapshot[] = [];
    queue.subscribe((s) => seen.push(s));
    harness.simulator.clearRequests();

    queue.complete();
    const booked = await harness.until(queue, (s) => s.status === 'booked');
    expect(booked.booking).to.deep.equal({ outcome: 'booked', restored: false });
    expect([booked.admission, booked.position, booked.problem]).to.deep.equal([null, null, null]);

    await harness.clock.advance(30 * MIN);
    expect(harness.simulator.requests).to.have.length(0);
    expect(harness.clock.pendingDelays()).to.deep.equal([]);
    expect(seen.map((s) => s.status)).to.deep.equal(['booked']);
    queue.reclaim();
    queue.retryNow();
    await harness.clock.advance(MIN);
    expect(queue.getSnapshot().status).to.equal('booked');
    expect(harness.simulator.requests).to.have.length(0);
  });

  it('forgets the ticket and admission but remembers the end, so a reload shows it without joining', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { queue } = await admittedEngine();
    queue.complete();
    await harness.until(queue, (s) => s.status === 'booked');
    queue.stop();
    expect(harness.storage.getItem(keys().ticket)).to.equal(null);
    expect(JSON.parse(harness.storage.getItem(keys().booked)!)).to.include({
      seq: 11,
      outcome: 'booked',
    });

    harness.simulator.clearRequests();
    const reloaded = harness.engine();
    reloaded.start();
    const shown = await harness.until(reloaded, (s) => s.status === 'booked');
    expect(shown.booking).to.deep.equal({ outcome: 'booked', restored: true });
    await harness.clock.advance(5 * MIN);
    expect(harness.simulator.requests).to.have.length(0);

    // Only the visitor's own request starts a new journey, with a new place.
    reloaded.rejoin();
    const again = await harness.until(reloaded, (s) => s.status === 'waiting');
    expect(again.seq).to.equal(12);
    expect(harness.storage.getItem(keys().booked)).to.equal(null);
  });

  it('forgets the end after a day, and the next visit joins normally', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0, ticketTtlSeconds: 3600 } });
    const { queue } = await admittedEngine();
    queue.complete();
    await harness.until(queue, (s) => s.status === 'booked');
    queue.stop();
    await harness.clock.advance(24 * 60 * MIN + 1000);

    const nextDay = harness.engine();
    nextDay.start();
    const joined = await harness.until(nextDay, (s) => s.status === 'waiting');
    expect(joined.seq).to.equal(12);
  });

  it('shows a place booked elsewhere as already used when the stored admission is confirmed', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { queue, admitted } = await admittedEngine();
    queue.stop();
    // The form was posted the plain way (the page navigated away) and the backend booked.
    expect(await harness.simulator.book(admitted.admission!)).to.equal('booked');

    const back = harness.engine();
    const seen: QueueSnapshot[] = [];
    back.subscribe((s) => seen.push(s));
    back.start();
    const used = await harness.until(back, (s) => s.status === 'booked');
    expect(used.booking).to.deep.equal({ outcome: 'already-used', restored: false });
    expect(seen.some((s) => s.status === 'admitted' || s.status === 'reconnecting')).to.equal(
      false,
    );
    expect(harness.requestsTo('admit').at(-1)?.status).to.equal(409);
    expect(harness.storage.getItem(keys().ticket)).to.equal(null);
    await harness.clock.advance(10 * MIN);
    expect(harness.requestsTo('admit')).to.have.length(2);
  });

  it('ends the journey in every tab when a follower tab books', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { engine, until, clock, room, storage, simulator } = harness;
    const tab = () =>
      engine({
        witnessStorage: memoryStorage(),
        coordinator: createTabCoordinator({ room, endpoint: ENDPOINT, storage, clock }),
      });
    const tabs = [tab(), tab()];
    tabs.forEach((t) => t.start());
    simulator.advance(11);
    await Promise.all(tabs.map((t) => until(t, (s) => s.status === 'admitted')));
    const follower = tabs.find((t) => !t.getSnapshot().isLeader)!;
    const leader = tabs.find((t) => t.getSnapshot().isLeader)!;

    follower.complete();
    await until(leader, (s) => s.status === 'booked');
    await until(follower, (s) => s.status === 'booked');
    expect(leader.getSnapshot().booking?.outcome).to.equal('booked');
    expect(storage.getItem(keys().ticket)).to.equal(null);
  });
});
