import { expect, waitUntil } from '@open-wc/testing';
import { emptySnapshot } from '../../src/core/empty-snapshot.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { createTabCoordinator, tabChannelName } from '../../src/core/tab-coordinator.js';
import type {
  CoordinatorHandlers,
  TabCommand,
  TabCoordinator,
  TabCoordinatorOptions,
} from '../../src/core/tab-coordinator.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import { ENDPOINT, createHarness, tabEngine } from './helpers/engine-harness.js';
import { manualLifecycle, memoryStorage, uniqueRoom } from './helpers/test-doubles.js';

function recorder() {
  const log = {
    leader: false,
    changes: [] as boolean[],
    snapshots: [] as QueueSnapshot[],
    commands: [] as TabCommand[],
  };
  const handlers: CoordinatorHandlers = {
    onLeadershipChange: (isLeader) => {
      log.leader = isLeader;
      log.changes.push(isLeader);
    },
    onSnapshot: (snapshot) => log.snapshots.push(snapshot),
    onCommand: (command) => log.commands.push(command),
  };
  return { log, handlers };
}

const fakeSnapshot = (seq: number): QueueSnapshot => ({
  ...emptySnapshot('room', ENDPOINT),
  status: 'waiting',
  seq,
});

/** A coordinator of `room` on the lease fallback (no Web Locks). */
const leaseTab = (room: string, options: Partial<TabCoordinatorOptions>) =>
  createTabCoordinator({ room, endpoint: ENDPOINT, locks: null, ...options });

/** Channel messages a tab must ignore, sent before one it must act on. */
const FOREIGN_MESSAGES: unknown[] = [
  { ns: 'queue-gate', v: 1, type: 'command', from: 'x', command: 'drop-tables' },
  { ns: 'other', v: 1, type: 'command', from: 'x', command: 'rejoin' },
  'rejoin',
];

describe('tab-coordinator', () => {
  const started: TabCoordinator[] = [];
  afterEach(() => started.splice(0).forEach((coordinator) => coordinator.stop()));
  const start = (coordinator: TabCoordinator, handlers: CoordinatorHandlers) => {
    started.push(coordinator);
    coordinator.start(handlers);
    return coordinator;
  };

  it('names the channel after the room and a hash of the endpoint', () => {
    expect(tabChannelName('concert', 'https://a.test')).to.match(
      /^queue-gate:v1:concert:[0-9a-z]+$/,
    );
    expect(tabChannelName('concert', 'https://a.test')).to.not.equal(
      tabChannelName('concert', 'https://b.test'),
    );
  });

  describe('with Web Locks', () => {
    it('elects one leader, mirrors its snapshots, forwards commands, and hands over when it stops', async () => {
      const room = uniqueRoom();
      const a = recorder();
      const b = recorder();
      const first = start(createTabCoordinator({ room, endpoint: ENDPOINT }), a.handlers);
      await waitUntil(() => a.log.leader, 'first tab never led');
      first.publish(fakeSnapshot(7));
      const second = start(createTabCoordinator({ room, endpoint: ENDPOINT }), b.handlers);
      // The late tab says hello and gets the leader's last snapshot.
      await waitUntil(() => b.log.snapshots.length > 0, 'late tab got no snapshot');
      expect(b.log.snapshots[0]?.seq).to.equal(7);
      expect(b.log.leader).to.equal(false);

      second.send('retry-now');
      await waitUntil(() => a.log.commands.length > 0, 'leader got no command');
      expect(a.log.commands).to.deep.equal(['retry-now']);

      first.stop();
      await waitUntil(() => b.log.leader, 'second tab never took over');
      expect(second.isLeader).to.equal(true);
    });
  });

  describe('with the lease fallback (no Web Locks)', () => {
    it('lets one tab lead, and another take over when the leader resigns', async () => {
      const room = uniqueRoom();
      const clock = createManualClock();
      const storage = memoryStorage();
      const a = recorder();
      const b = recorder();
      const first = start(leaseTab(room, { storage, clock, id: 'a' }), a.handlers);
      const second = start(leaseTab(room, { storage, clock, id: 'b' }), b.handlers);
      expect(a.log.leader).to.equal(true);
      expect(b.log.leader).to.equal(false);
      await clock.advance(10_000);
      expect(b.log.changes).to.deep.equal([]);

      first.stop();
      await waitUntil(() => b.log.leader, 'second tab never took over');
      expect(second.isLeader).to.equal(true);
    });

    it('replaces a leader that went silent (crashed) after the lease ran out', async () => {
      const room = uniqueRoom();
      const storage = memoryStorage();
      const frozen = createManualClock();
      const clock = createManualClock();
      const a = recorder();
      const b = recorder();
      // The first tab's clock never moves: it writes one lease and then never beats again.
      start(leaseTab(room, { storage, clock: frozen, id: 'a' }), a.handlers);
      start(leaseTab(room, { storage, clock, id: 'b', leaseMs: 3500 }), b.handlers);
      expect(b.log.leader).to.equal(false);
      await clock.advance(3000);
      expect(b.log.leader).to.equal(false);
      await clock.advance(2000);
      expect(b.log.leader).to.equal(true);
    });

    it('settles two tabs that claimed together on the lower id', async () => {
      const room = uniqueRoom();
      const clock = createManualClock();
      const a = recorder();
      const b = recorder();
      // No shared storage: both see a free lease and claim; the heartbeats sort it out.
      start(leaseTab(room, { storage: null, clock, id: 'b' }), b.handlers);
      start(leaseTab(room, { storage: null, clock, id: 'a' }), a.handlers);
      await waitUntil(() => a.log.leader && !b.log.leader, 'two leaders remained');
      await clock.advance(5000);
      expect(a.log.leader).to.equal(true);
      expect(b.log.leader).to.equal(false);
    });
  });

  it('lets every tab lead when no channel exists', () => {
    const a = recorder();
    start(
      createTabCoordinator({ room: uniqueRoom(), endpoint: ENDPOINT, createChannel: null }),
      a.handlers,
    );
    expect(a.log.leader).to.equal(true);
  });

  it('ignores foreign or malformed channel messages', async () => {
    const room = uniqueRoom();
    const a = recorder();
    start(leaseTab(room, { storage: memoryStorage(), clock: createManualClock() }), a.handlers);
    const intruder = new BroadcastChannel(tabChannelName(room, ENDPOINT));
    for (const message of FOREIGN_MESSAGES) intruder.postMessage(message);
    intruder.postMessage({
      ns: 'queue-gate',
      v: 1,
      type: 'command',
      from: 'x',
      command: 'retry-now',
    });
    await waitUntil(() => a.log.commands.length > 0);
    intruder.close();
    expect(a.log.commands).to.deep.equal(['retry-now']);
  });

  describe('two engines in one room (two tabs)', () => {
    let harness: ReturnType<typeof createHarness>;
    afterEach(() => harness?.stopAll());

    it('hold one place, and only the leader talks to the server', async () => {
      harness = createHarness({ simulator: { issued: 41, serving: 0, ratePerSec: 0 } });
      const { until, clock, requestsTo, simulator } = harness;
      const tab = () => tabEngine(harness);
      const a = tab();
      a.start();
      const leading = await until(a, (s) => s.status === 'waiting' && s.isLeader);
      const b = tab();
      b.start();
      const mirrored = await until(b, (s) => s.status === 'waiting');
      expect(mirrored).to.include({ seq: leading.seq, isLeader: false });

      const before = simulator.requests.length;
      for (let i = 0; i < 10; i++) await clock.runNext();
      const polls = simulator.requests.length - before;
      // Ten timer turns across both tabs, ten polls: only the leader has a poll timer, and the
      // follower never joined.
      expect(polls).to.equal(10);
      expect(requestsTo('state')).to.have.length(10);
      expect(requestsTo('join')).to.have.length(1);

      simulator.advance(100);
      b.retryNow();
      const admitted = await until(b, (s) => s.status === 'admitted');
      expect(requestsTo('admit')).to.have.length(1);
      expect(admitted.admission).to.equal(a.getSnapshot().admission);
    });

    it('makes the leader look at once when a follower tab comes back into view', async () => {
      harness = createHarness({ simulator: { issued: 10, serving: 0 } });
      const { until, clock, requestsTo } = harness;
      const followerLifecycle = manualLifecycle();
      const a = tabEngine(harness);
      a.start();
      await until(a, (s) => s.status === 'waiting' && s.isLeader);
      const b = tabEngine(harness, { lifecycle: followerLifecycle });
      b.start();
      await until(b, (s) => s.status === 'waiting');
      await clock.advance(1000);
      expect(requestsTo('state')).to.have.length(0);
      followerLifecycle.fire();
      await until(a, () => requestsTo('state').length === 1, 'the leader did not poll');
    });

    it('hands the place to the other tab when the leader closes', async () => {
      harness = createHarness({ simulator: { issued: 10, serving: 0 } });
      const { until, requestsTo } = harness;
      const tab = () => tabEngine(harness);
      const a = tab();
      a.start();
      const first = await until(a, (s) => s.status === 'waiting' && s.isLeader);
      const b = tab();
      b.start();
      await until(b, (s) => s.status === 'waiting');
      a.stop();
      const took = await until(b, (s) => s.isLeader && s.status === 'waiting');
      expect(took.seq).to.equal(first.seq);
      const joins = requestsTo('join');
      expect(joins).to.have.length(2);
      expect(joins[1]?.ticket).to.be.a('string');
    });
  });
});
