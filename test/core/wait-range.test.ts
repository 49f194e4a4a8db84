/**
 * The wait as people can use it: never "0–2 hours" or "0–2 min", never "more than a day" for
 * 13–26 hours. Properties over every estimate the engine can make, then the phrases the issue
 * named.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { estimateWait } from '../../src/core/position-estimate.js';
import {
  CLOCK_TIME_AFTER_MS,
  MINUTES_UP_TO_MS,
  roundWait,
  type WaitRange,
} from '../../src/core/wait-range.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

/** Any estimate the engine gives: a position and a rate (up to a week's wait, and beyond). */
const engineEstimates = fc
  .record({
    position: fc.integer({ min: 0, max: 2_000_000 }),
    ratePerSec: fc.double({ min: 0.001, max: 500, noNaN: true }),
  })
  .map(({ position, ratePerSec }) => estimateWait(position, ratePerSec));

/** Any range at all, including ones the engine never makes (equal bounds, a low of 0). */
const anyEstimates = fc
  .tuple(fc.nat({ max: 10 * 24 * HOUR }), fc.nat({ max: 10 * 24 * HOUR }))
  .map(([a, b]) => ({ minMs: Math.min(a, b), maxMs: Math.max(a, b) }));

/** The bounds a range states, in ms, when it states two. */
function statedBounds(range: WaitRange): [number, number] | null {
  if (range.kind === 'minutes') return [range.low * MIN, range.high * MIN];
  if (range.kind === 'hours' || range.kind === 'long') return [range.low * HOUR, range.high * HOUR];
  return null;
}

describe('roundWait', () => {
  for (const [name, estimates] of [
    ['the engine’s estimates', engineEstimates],
    ['any range', anyEstimates],
  ] as const) {
    it(`never starts a range at 0, and its low end is below its high end (${name})`, () => {
      fc.assert(
        fc.property(estimates, (estimate) => {
          const range = roundWait(estimate, NOW);
          if (range.kind === 'under') expect(range.high).to.be.greaterThan(0);
          const bounds = statedBounds(range);
          if (bounds) {
            expect(bounds[0], JSON.stringify(range)).to.be.greaterThan(0);
            expect(bounds[0], JSON.stringify(range)).to.be.lessThan(bounds[1]);
          }
        }),
      );
    });

    it(`contains the upper bound of the estimate it rounds (${name})`, () => {
      fc.assert(
        fc.property(estimates, (estimate) => {
          const range = roundWait(estimate, NOW);
          const bounds = statedBounds(range);
          if (bounds) expect(bounds[1]).to.be.at.least(estimate.maxMs!);
          if (range.kind === 'under') expect(range.high * MIN).to.be.at.least(estimate.maxMs!);
          if (range.kind === 'soon') expect(estimate.maxMs).to.be.lessThan(MIN);
        }),
      );
    });

    it(`gives long waits an expected clock time within the range (${name})`, () => {
      fc.assert(
        fc.property(estimates, (estimate) => {
          const range = roundWait(estimate, NOW);
          expect(range.kind === 'long', JSON.stringify(range)).to.equal(
            estimate.maxMs! > CLOCK_TIME_AFTER_MS,
          );
          if (range.kind !== 'long') return;
          // Rounded to a quarter hour, so within a quarter hour of the stated bounds.
          expect(range.around).to.be.at.least(NOW + range.low * HOUR - 15 * MIN);
          expect(range.around).to.be.at.most(NOW + range.high * HOUR + 15 * MIN);
          expect(range.around % (15 * MIN)).to.equal(0);
        }),
      );
    });
  }

  it('contains the lower bound of every estimate the engine makes', () => {
    fc.assert(
      fc.property(engineEstimates, (estimate) => {
        const bounds = statedBounds(roundWait(estimate, NOW));
        if (bounds) expect(bounds[0]).to.be.at.most(estimate.minMs!);
      }),
    );
  });

  it('says minutes up to two hours, hours beyond', () => {
    expect(roundWait({ minMs: 60 * MIN, maxMs: MINUTES_UP_TO_MS }, NOW).kind).to.equal('minutes');
    expect(roundWait({ minMs: 61 * MIN, maxMs: MINUTES_UP_TO_MS + 1 }, NOW).kind).to.equal('hours');
  });

  /** [what, minMs, maxMs, the range said]. */
  const CASES: [string, number | null, number | null, WaitRange][] = [
    ['unknown', null, null, { kind: 'unknown' }],
    ['the turn has come', 0, 0, { kind: 'soon' }],
    ['under a minute', 20_000, 40_000, { kind: 'soon' }],
    // Was "About 0–2 min".
    ['45 s–1.5 min', 45_000, 90_000, { kind: 'under', high: 2 }],
    ['2–4 min', 2.2 * MIN, 3.9 * MIN, { kind: 'minutes', low: 2, high: 4 }],
    ['12–18 min', 12 * MIN, 17.5 * MIN, { kind: 'minutes', low: 10, high: 20 }],
    ['45–90 min', 45 * MIN, 90 * MIN, { kind: 'minutes', low: 45, high: 90 }],
    // Was "About 0–2 hours".
    ['50–100 min', 50 * MIN, 100 * MIN, { kind: 'minutes', low: 45, high: 105 }],
    ['2.5–3.3 hours', 150 * MIN, 200 * MIN, { kind: 'hours', low: 2, high: 4 }],
    // Was "More than a day": expected around 12:00 + 18.4 h, 06:30 the next day.
    [
      '13–26 hours',
      13 * HOUR,
      26 * HOUR,
      { kind: 'long', low: 13, high: 26, around: NOW + 18.5 * HOUR },
    ],
  ];
  for (const [name, minMs, maxMs, is] of CASES) {
    it(`says ${name} as ${JSON.stringify(is)}`, () => {
      expect(roundWait({ minMs, maxMs }, NOW)).to.deep.equal(is);
    });
  }
});
