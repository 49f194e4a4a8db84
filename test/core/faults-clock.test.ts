import { expect } from '@open-wc/testing';
import type { Clock } from '../../src/core/clock.js';
import type { ManualClock } from '../../src/core/manual-clock.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * The device's wall clock over the harness's manual clock (which stays the server's time).
 * `jump` moves only the wall clock, as a user or NTP setting the system time does; timers keep
 * counting real elapsed time, as browsers' timers do.
 */
function wallClock(real: ManualClock): Clock & { jump(ms: number): void } {
  let offset = 0;
  return {
    now: () => real.now() + offset,
    setTimeout: (callback, delayMs) => real.setTimeout(callback, delayMs),
    clearTimeout: (handle) => real.clearTimeout(handle),
    jump: (ms) => void (offset += ms),
  };
}

const JUMPS: [string, number][] = [
  ['an hour forward', HOUR],
  ['an hour back', -HOUR],
  ['a day forward', DAY],
  ['a day back', -DAY],
];

describe('faults the client survives: the system clock jumps', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  for (const [name, jump] of JUMPS) {
    it(`keeps the ticket, sends no burst and never moves the position back when the clock jumps ${name}`, async () => {
      harness = createHarness({
        // Far enough back to be still waiting after five minutes: the real server's admission
        // control calls the next turns in place of the ones nobody claims, so the line runs
        // faster than the configured 2/s while only this visitor claims.
        simulator: { issued: 100_000, serving: 0, ratePerSec: 2, pollAfterMs: 2000 },
      });
      const { clock, engine, until, simulator, storage, room } = harness;
      const device = wallClock(clock);
      const queue = engine({ clock: device });
      const positions: number[] = [];
      let fastest = 2;
      queue.subscribe((s: QueueSnapshot) => {
        if (s.position !== null) positions.push(s.position);
        fastest = Math.max(fastest, s.ratePerSec);
      });
      queue.start();
      const before = await until(queue, (s) => s.status === 'waiting');
      await clock.advance(10_000);
      const storedBefore = storage.getItem(ticketStorageKey(ENDPOINT, room));
      const scheduled = queue.getSnapshot().nextAttemptAt! - device.now();
      const shownBefore = queue.getSnapshot().position!;
      const sentBefore = simulator.requests.length;
      const jumpedAt = clock.now();
      // Between polls the shown position may run ahead of the server by one poll horizon at
      // the line's measured rate (at most 60 s of it), jump or no jump; a day's jump must not
      // add to it.
      const truth = async () => Math.max(0, 100_001 - (await simulator.snapshot()).serving);
      const mostRunAhead = () => Math.ceil(fastest * 60);

      device.jump(jump);
      queue.retryNow();
      await until(queue, () => simulator.requests.length === sentBefore + 1);
      const afterJump = await until(
        queue,
        (s) => s.status === 'waiting' && s.nextAttemptAt !== null,
      );
      expect(afterJump.position).to.be.at.most(shownBefore);
      expect(afterJump.position).to.be.at.least((await truth()) - mostRunAhead());
      expect(scheduled).to.be.greaterThan(0);

      // Five minutes of real time after the jump: polls spaced as the server asked, never a
      // catch-up burst for the hour or day the wall clock skipped.
      await clock.advance(5 * 60_000);
      const after = simulator.requests.slice(sentBefore).map((request) => request.at);
      expect(after.length).to.be.within(2, 5 * 60 + 1);
      after.slice(1).forEach((at, i) => {
        expect(at - after[i]!, `gap ${i}`).to.be.at.least(500);
      });
      expect(after[0]).to.equal(jumpedAt);

      const now = queue.getSnapshot();
      expect(now.seq).to.equal(before.seq);
      expect(now.status).to.equal('waiting');
      // Never behind the last answer, never further ahead of the server than one horizon.
      expect(now.position).to.be.within((await truth()) - mostRunAhead(), 100_001 - now.serving!);
      // The same ticket and place. (Its expiry may be restated in the device's time: a clock a
      // day ahead makes the ticket look nearly spent, so the engine asks the server, which
      // answers the same ticket and, with it, the clock's error.)
      const storedNow = JSON.parse(storage.getItem(ticketStorageKey(ENDPOINT, room))!) as {
        ticket: string;
        seq: number;
      };
      const stored = JSON.parse(storedBefore!) as { ticket: string; seq: number };
      expect([storedNow.ticket, storedNow.seq]).to.deep.equal([stored.ticket, stored.seq]);
      positions.forEach((position, i) => {
        expect(position).to.be.at.least(0);
        if (i > 0) expect(position, `step ${i}`).to.be.at.most(positions[i - 1]!);
      });

      // A reload with the jumped clock still finds the ticket and presents it.
      queue.stop();
      const reloaded = engine({ clock: device });
      reloaded.start();
      const again = await until(reloaded, (s) => s.status === 'waiting');
      expect(again.seq).to.equal(before.seq);
      expect(harness.requestsTo('join').at(-1)?.ticket).to.be.a('string');
    });

    it(`keeps an admission claimed after the clock jumped ${name} for its real lifetime`, async () => {
      harness = createHarness({
        simulator: { issued: 10, serving: 0, admissionTtlSeconds: 120 },
      });
      const { clock, engine, until, simulator } = harness;
      const device = wallClock(clock);
      const queue = engine({ clock: device });
      queue.start();
      await until(queue, (s) => s.status === 'waiting');

      device.jump(jump);
      simulator.advance(11);
      await clock.runNext();
      const admitted = await until(queue, (s) => s.status === 'admitted');
      // Kept in the device's (jumped) time, so a UI comparing with its clock counts 120 s.
      expect(admitted.admissionExpiresAt! - device.now()).to.be.within(119_000, 120_000);

      await clock.advance(118_000);
      expect(queue.getSnapshot().admission, 'dropped early').to.equal(admitted.admission);
      await clock.advance(2000);
      const expired = await until(queue, (s) => s.admission === null);
      expect(expired.problem?.code).to.equal('admission_expired');
      expect(expired.seq).to.equal(11);
    });

    it(`does not drop a held admission early or late when the clock jumps ${name} while admitted`, async () => {
      harness = createHarness({ simulator: { issued: 0, serving: 5, admissionTtlSeconds: 120 } });
      const { clock, engine, until, requestsTo } = harness;
      const device = wallClock(clock);
      const queue = engine({ clock: device });
      queue.start();
      const admitted = await until(queue, (s) => s.status === 'admitted');
      device.jump(jump);
      await clock.advance(119_000);
      expect(queue.getSnapshot().admission).to.equal(admitted.admission);
      await clock.advance(1000);
      await until(queue, (s) => s.admission === null);
      expect(requestsTo('admit')).to.have.length(1);
    });
  }
});

describe('faults the client survives: online again after the clock was set back', () => {
  let harness: ReturnType<typeof createHarness>;
  afterEach(() => harness?.stopAll());

  it('asks at once when the network returns, though the clock now reads a day before the last request', async () => {
    harness = createHarness({ simulator: { issued: 10, serving: 0 } });
    const { clock, engine, until, simulator, lifecycle, requestsTo } = harness;
    const device = wallClock(clock);
    const queue = engine({ clock: device, random: () => 0.99 });
    queue.start();
    await until(queue, (s) => s.status === 'waiting');
    simulator.setOffline(true);
    for (let i = 0; i < 4; i++) await clock.runNext();
    const offline = await until(
      queue,
      (s) => s.status === 'reconnecting' && s.nextAttemptAt !== null,
    );
    expect(offline.nextAttemptAt! - device.now()).to.be.greaterThan(5000);

    device.jump(-DAY);
    simulator.setOffline(false);
    const polls = requestsTo('state').length;
    lifecycle.fire();
    const back = await until(queue, (s) => s.status === 'waiting');
    expect(requestsTo('state')).to.have.length(polls + 1);
    expect(back.seq).to.equal(11);

    // And the floor still holds right after: a second signal sends nothing.
    lifecycle.fire();
    await clock.advance(0);
    expect(requestsTo('state')).to.have.length(polls + 1);
  });
});
