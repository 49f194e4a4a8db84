import { expect } from '@open-wc/testing';
import { POLL_BOUNDS, pollIntervalFor } from '../../src/protocol.js';
import {
  BACKOFF,
  OPENING_SPREAD_MS,
  SLOW_POLL_MS,
  backoffWindow,
  clampPollMs,
  openingDelay,
  pollDelay,
  retryDelay,
} from '../../src/core/poll-schedule.js';
import { seededRandom } from './helpers/test-doubles.js';

const open = { scaled: true, ratePerSec: 0, roomStatus: 'open' as const };

describe('poll-schedule', () => {
  it('jitters polls uniformly in 0.5x–1.5x of the interval, keeping the mean at the interval', () => {
    const random = seededRandom(7);
    const delays = Array.from({ length: 2000 }, () =>
      pollDelay({ ...open, pollAfterMs: 2000, position: 0, random: random() }),
    );
    expect(Math.min(...delays)).to.be.at.least(1000);
    expect(Math.max(...delays)).to.be.at.most(3000);
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    expect(mean).to.be.within(1950, 2050);
  });

  it("scales a state answer's base interval by distance with the shared protocol function", () => {
    const expected = pollIntervalFor(10_000, 50, 2000);
    expect(
      pollDelay({ ...open, pollAfterMs: 2000, position: 10_000, ratePerSec: 50, random: 0.5 }),
    ).to.equal(expected);
    expect(expected).to.be.greaterThan(2000);
  });

  it("uses a join answer's interval as given (the server already scaled it)", () => {
    expect(
      pollDelay({
        pollAfterMs: 8000,
        scaled: false,
        position: 10_000,
        ratePerSec: 50,
        roomStatus: 'open',
        random: 0.5,
      }),
    ).to.equal(8000);
  });

  it('keeps a hostile interval within the protocol bounds', () => {
    expect(
      pollDelay({ ...open, scaled: false, pollAfterMs: 1, position: 0, random: 0.5 }),
    ).to.equal(POLL_BOUNDS.minMs);
    expect(
      pollDelay({ ...open, scaled: false, pollAfterMs: 1e9, position: 0, random: 0.5 }),
    ).to.equal(POLL_BOUNDS.maxMs);
    expect(
      pollDelay({ ...open, scaled: false, pollAfterMs: Number.NaN, position: 0, random: 0.5 }),
    ).to.equal(POLL_BOUNDS.minMs);
  });

  it('polls a paused or closed room slowly', () => {
    for (const roomStatus of ['paused', 'closed'] as const) {
      expect(
        pollDelay({ ...open, roomStatus, pollAfterMs: 2000, position: 0, random: 0.5 }),
      ).to.equal(SLOW_POLL_MS);
    }
  });

  it('doubles the backoff window per failure up to the cap', () => {
    expect([0, 1, 2, 3].map(backoffWindow)).to.deep.equal([1000, 2000, 4000, 8000]);
    expect(backoffWindow(10)).to.equal(BACKOFF.capMs);
    expect(backoffWindow(1000)).to.equal(BACKOFF.capMs);
  });

  it('draws retries uniformly over the whole window (full jitter)', () => {
    const random = seededRandom(3);
    const delays = Array.from({ length: 1000 }, () =>
      retryDelay({ attempt: 3, retryAfterMs: null, random: random() }),
    );
    expect(Math.min(...delays))
      .to.be.at.least(0)
      .and.below(400);
    expect(Math.max(...delays))
      .to.be.at.most(8000)
      .and.above(7600);
  });

  it('retries a failed poll no sooner than its own poll delay, however early the backoff draw', () => {
    expect(retryDelay({ attempt: 0, retryAfterMs: null, random: 0.1, pollFloorMs: 9000 })).to.equal(
      9000,
    );
    // A long backoff still wins over a short poll delay.
    expect(retryDelay({ attempt: 5, retryAfterMs: null, random: 0.5, pollFloorMs: 3000 })).to.equal(
      16_000,
    );
    // Retry-After plus its spread still holds when it is the later of the two.
    expect(
      retryDelay({ attempt: 0, retryAfterMs: 30_000, random: 0.5, pollFloorMs: 9000 }),
    ).to.equal(30_500);
  });

  it('never retries sooner than Retry-After, and spreads clients after it', () => {
    expect(retryDelay({ attempt: 0, retryAfterMs: 30_000, random: 0 })).to.equal(30_000);
    expect(retryDelay({ attempt: 2, retryAfterMs: 30_000, random: 0.5 })).to.equal(32_000);
  });

  it('clamps to the poll bounds, a value that is not a number to the floor', () => {
    expect(clampPollMs(-1)).to.equal(POLL_BOUNDS.minMs);
    expect(clampPollMs(POLL_BOUNDS.minMs + 1)).to.equal(POLL_BOUNDS.minMs + 1);
    expect(clampPollMs(POLL_BOUNDS.maxMs * 2)).to.equal(POLL_BOUNDS.maxMs);
    expect(clampPollMs(Number.NaN)).to.equal(POLL_BOUNDS.minMs);
  });

  it('spreads an opening over the next few seconds, within the poll bounds', () => {
    const until = POLL_BOUNDS.minMs + 10_000;
    expect(openingDelay(until, 0)).to.equal(until);
    expect(openingDelay(until, 0.5)).to.equal(until + OPENING_SPREAD_MS / 2);
    expect(openingDelay(until, 0.9999)).to.be.below(until + OPENING_SPREAD_MS);
    expect(openingDelay(-60_000, 0.9)).to.equal(POLL_BOUNDS.minMs);
    expect(openingDelay(POLL_BOUNDS.maxMs, 0.5)).to.equal(POLL_BOUNDS.maxMs);
  });
});
