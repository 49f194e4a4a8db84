import { expect } from '@open-wc/testing';
import { BACKOFF } from '../../src/core/poll-schedule.js';
import { POLL_BOUNDS } from '../../src/protocol.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';
import { blockedStorage, fullStorage, memoryStorage } from './helpers/test-doubles.js';

type Harness = ReturnType<typeof createHarness>;

describe('queue-engine', () => {
  let harness: Harness;
  afterEach(() => harness?.stopAll());

  it('joins, waits, claims its admission when the line reaches it, and keeps it', async () => {
    harness = createHarness({ simulator: { issued: 20, serving: 5 } });
    const { engine, until, simulator, clock, storage, room } = harness;
    const queue = engine();
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');
    expect(waiting).to.include({ seq: 21, serving: 5, position: 16, isLeader: true });
    expect(waiting.nextAttemptAt).to.be.greaterThan(clock.now());

    simulator.advance(16);
    await clock.runNext();
    const admitted = await until(queue, (s) => s.status === 'admitted');
    expect(admitted.admission).to.be.a('string');
    expect(admitted.position).to.equal(0);
    const stored = JSON.parse(storage.getItem(ticketStorageKey(ENDPOINT, room)) ?? '{}');
    expect(stored.admission).to.equal(admitted.admission);
  });

  it('keeps the same place after a reload (a new engine over the same storage)', async () => {
    harness = createHarness({ simulator: { issued: 99 } });
    const { engine, until, requestsTo } = harness;
    const first = engine();
    first.start();
    const before = await until(first, (s) => s.status === 'waiting');
    first.stop();

    const reloaded = engine();
    reloaded.start();
    const after = await until(reloaded, (s) => s.status === 'waiting');
    expect(after.seq).to.equal(before.seq);
    expect(after.seq).to.equal(100);
    const joins = requestsTo('join');
    expect(joins).to.have.length(2);
    expect(joins[1]?.ticket).to.be.a('string');
  });

  it('shows a stored admission again after a reload while it is valid', async () => {
    harness = createHarness({ simulator: { issued: 0, serving: 10 } });
    const { engine, until, requestsTo } = harness;
    const first = engine();
    first.start();
    const admitted = await until(first, (s) => s.status === 'admitted');
    first.stop();
    const reloaded = engine();
    reloaded.start();
    const again = await until(reloaded, (s) => s.status === 'admitted');
    expect(again.admission).to.equal(admitted.admission);
    expect(requestsTo('join')).to.have.length(1);
    // Confirmed with the server (claiming is idempotent), not taken from storage on trust.
    expect(requestsTo('admit').map((r) => r.status)).to.deep.equal([200, 200]);
  });

  it('keeps the ticket and backs off within full-jitter bounds while offline, then resumes at once online', async () => {
    harness = createHarness({ simulator: { issued: 30 } });
    const { engine, until, simulator, clock, storage, room, lifecycle, requestsTo, random } =
      harness;
    const queue = engine();
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');
    const storedBefore = storage.getItem(ticketStorageKey(ENDPOINT, room));

    simulator.setOffline(true);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      await clock.runNext();
      const snapshot = await until(
        queue,
        (s) => s.status === 'reconnecting' && s.nextAttemptAt !== null,
      );
      expect(snapshot.problem?.code).to.equal('network');
      expect(snapshot.seq).to.equal(waiting.seq);
      const delay = (snapshot.nextAttemptAt ?? 0) - clock.now();
      // The failure's own draw from the seeded source sets the backoff within the full window;
      // a failed poll waits that, or its own next poll delay when that is later.
      const window = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt);
      const backoff = Math.round(random.drawn.at(-1)! * window);
      expect(backoff, `attempt ${attempt}`).to.be.within(0, window);
      expect(delay, `attempt ${attempt} inside the backoff`).to.be.at.least(backoff);
      expect(delay).to.be.at.most(Math.max(backoff, 1.5 * POLL_BOUNDS.maxMs));
      delays.push(backoff);
    }
    // Full jitter: the seeded draws do not all sit at the top of their windows.
    expect(delays.some((delay, attempt) => delay < 0.5 * BACKOFF.baseMs * 2 ** attempt)).to.equal(
      true,
    );
    expect(storage.getItem(ticketStorageKey(ENDPOINT, room))).to.equal(storedBefore);

    simulator.setOffline(false);
    await clock.advance(BACKOFF.baseMs);
    const polls = requestsTo('state').length;
    lifecycle.fire();
    const back = await until(queue, (s) => s.status === 'waiting');
    expect(requestsTo('state').length).to.equal(polls + 1);
    expect(back.seq).to.equal(waiting.seq);
    expect(back.problem).to.equal(null);
  });

  it('keeps the ticket through 5xx answers and recovers when the server does', async () => {
    harness = createHarness({ simulator: { issued: 3 } });
    const { engine, until, simulator, clock, storage, room } = harness;
    const queue = engine();
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    simulator.failNext(3, { kind: 'status', status: 502 });
    for (let i = 0; i < 3; i++) {
      await clock.runNext();
      const snapshot = await until(queue, (s) => s.status === 'reconnecting');
      expect(snapshot.problem?.code).to.equal('internal');
      // Backoff, or the visitor's own next poll when later.
      expect(snapshot.nextAttemptAt! - clock.now()).to.be.at.most(
        Math.max(BACKOFF.baseMs * 2 ** i, 1.5 * POLL_BOUNDS.maxMs),
      );
    }
    expect(storage.getItem(ticketStorageKey(ENDPOINT, room))).to.contain('"seq":4');
    await clock.runNext();
    expect((await until(queue, (s) => s.status === 'waiting')).seq).to.equal(4);
  });

  it('honours Retry-After: no request before it has passed', async () => {
    harness = createHarness({ simulator: { issued: 3 } });
    const { engine, until, simulator, clock, requestsTo } = harness;
    const queue = engine();
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    simulator.failNext(1, {
      kind: 'status',
      status: 503,
      code: 'overloaded',
      retryAfterSeconds: 30,
    });
    await clock.runNext();
    const failed = await until(queue, (s) => s.status === 'reconnecting');
    const failedAt = clock.now();
    expect(failed.problem?.code).to.equal('overloaded');
    expect(failed.nextAttemptAt! - failedAt).to.be.within(30_000, 30_000 + BACKOFF.baseMs);
    const count = requestsTo('state').length;
    await clock.advance(29_999);
    expect(requestsTo('state').length).to.equal(count);
    await clock.advance(BACKOFF.baseMs + 1);
    expect(requestsTo('state').length).to.equal(count + 1);
  });

  it("rejects with the server's reason and clears storage when the ticket is refused", async () => {
    harness = createHarness({ simulator: { issued: 3 } });
    const { engine, until, simulator, storage, room } = harness;
    const first = engine();
    first.start();
    await until(first, (s) => s.status === 'waiting');
    first.stop();

    simulator.rejectTickets('token_expired');
    const reloaded = engine();
    reloaded.start();
    const rejected = await until(reloaded, (s) => s.status === 'rejected');
    expect(rejected.rejection?.code).to.equal('token_expired');
    expect(storage.getItem(ticketStorageKey(ENDPOINT, room))).to.equal(null);

    simulator.rejectTickets(null);
    reloaded.rejoin();
    const rejoined = await until(reloaded, (s) => s.status === 'waiting');
    expect(rejoined.seq).to.equal(5);
    expect(rejoined.rejection).to.equal(null);
  });

  it('never shows a position below zero or moving backwards while the line moves', async () => {
    harness = createHarness({
      simulator: { issued: 200, serving: 0, ratePerSec: 3, pollAfterMs: 1000 },
    });
    const { engine, until, clock } = harness;
    const queue = engine();
    const positions: number[] = [];
    queue.subscribe((snapshot: QueueSnapshot) => {
      if (snapshot.position !== null) positions.push(snapshot.position);
    });
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    for (let step = 0; step < 400 && queue.getSnapshot().status !== 'admitted'; step++) {
      await clock.advance(500);
    }
    expect(queue.getSnapshot().status).to.equal('admitted');
    expect(positions.length).to.be.greaterThan(20);
    positions.forEach((position, i) => {
      expect(position).to.be.at.least(0);
      if (i > 0) expect(position, `step ${i}`).to.be.at.most(positions[i - 1]!);
    });
  });

  it('moves the shown position between polls from the rate, without extra requests', async () => {
    harness = createHarness({
      // A line already moving: the server reports the rate it measured over the last minute,
      // which a room that has served nobody yet does not have.
      simulator: { issued: 1000, serving: 200, ratePerSec: 2, pollAfterMs: 5000 },
    });
    const { engine, until, clock, requestsTo } = harness;
    const queue = engine();
    queue.start();
    const first = await until(queue, (s) => s.status === 'waiting');
    const requests = requestsTo('state').length + requestsTo('join').length;
    await clock.advance(1000);
    const later = queue.getSnapshot();
    expect(later.position).to.be.below(first.position!);
    expect(requestsTo('state').length + requestsTo('join').length).to.equal(requests);
  });

  it('polls a paused room slowly and keeps the ticket, then carries on when it reopens', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { engine, until, simulator, clock } = harness;
    const queue = engine();
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    simulator.setStatus('paused');
    await clock.runNext();
    const paused = await until(queue, (s) => s.status === 'paused');
    expect(paused.seq).to.equal(11);
    expect(paused.nextAttemptAt! - clock.now()).to.be.at.least(7_500);
    simulator.setStatus('open');
    await clock.runNext();
    await until(queue, (s) => s.status === 'waiting');
  });

  it('reclaims a new admission with the same ticket after the first expired unused', async () => {
    harness = createHarness({ simulator: { issued: 0, serving: 10, admissionTtlSeconds: 60 } });
    const { engine, until, clock, simulator } = harness;
    const queue = engine();
    queue.start();
    const admitted = await until(queue, (s) => s.status === 'admitted');
    await clock.advance(60_000);
    const expired = await until(queue, (s) => s.admission === null);
    expect(expired.status).to.equal('admitted');
    expect(expired.problem?.code).to.equal('admission_expired');
    simulator.expireAdmissions();
    queue.reclaim();
    const again = await until(queue, (s) => s.status === 'admitted' && s.admission !== null);
    expect(again.admission).to.not.equal(admitted.admission);
    expect(again.seq).to.equal(admitted.seq);
  });

  it('asks at once on retryNow instead of waiting for the timer', async () => {
    harness = createHarness({ simulator: { issued: 10 } });
    const { engine, until, requestsTo } = harness;
    const queue = engine();
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    queue.retryNow();
    await until(queue, () => requestsTo('state').length === 1);
  });

  it('times out a hanging request and reconnects with the place kept', async () => {
    harness = createHarness({ simulator: { issued: 10 } });
    const { engine, until, simulator, clock } = harness;
    const queue = engine({ requestTimeoutMs: 4000 });
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    simulator.failNext(1, { kind: 'hang' });
    await clock.runNext();
    await clock.advance(4000);
    const snapshot = await until(queue, (s) => s.status === 'reconnecting');
    expect(snapshot.problem?.code).to.equal('timeout');
    expect(snapshot.seq).to.equal(11);
  });

  describe('with hostile storage', () => {
    it('works where storage is blocked', async () => {
      harness = createHarness({ storage: blockedStorage() });
      const queue = harness.engine();
      queue.start();
      expect((await harness.until(queue, (s) => s.status === 'waiting')).seq).to.equal(1);
    });

    it('works where storage is full, and keeps the place in memory', async () => {
      harness = createHarness({ storage: fullStorage() });
      const queue = harness.engine();
      queue.start();
      await harness.until(queue, (s) => s.status === 'waiting');
      queue.stop();
      queue.start();
      await harness.until(queue, (s) => s.status === 'waiting');
      expect(harness.requestsTo('join')[1]?.ticket).to.be.a('string');
    });

    it('joins afresh over a corrupt stored value', async () => {
      const storage = memoryStorage();
      harness = createHarness({ storage });
      storage.setItem(ticketStorageKey(ENDPOINT, harness.room), '{"v":1,"ticket":');
      const queue = harness.engine();
      queue.start();
      await harness.until(queue, (s) => s.status === 'waiting');
      expect(harness.requestsTo('join')[0]?.ticket).to.equal(undefined);
    });
  });
});
