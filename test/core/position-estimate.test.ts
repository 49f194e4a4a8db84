import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  createPositionTrack,
  estimateWait,
  observeServing,
  positionAt,
} from '../../src/core/position-estimate.js';

const T0 = 1_000_000;

type Track = ReturnType<typeof createPositionTrack>;
type Answer = Parameters<typeof observeServing>[1];
/** A check of the track (`at` → shown position, or its `serving`), or a new answer observed. */
type Step = { at: number; position: number } | { serving: number } | { observe: Answer };

/** A track whose last answer was at T0 (horizon 5 s unless given). */
const trackOf = (
  seq: number,
  serving: number,
  ratePerSec: number,
  horizonMs = 5000,
): Parameters<typeof createPositionTrack>[0] => ({ seq, serving, ratePerSec, at: T0, horizonMs });

const TRACK_CASES: {
  name: string;
  start: Parameters<typeof createPositionTrack>[0];
  steps: Step[];
}[] = [
  {
    name: 'is seq - serving right after an answer',
    start: trackOf(100, 40, 2),
    steps: [{ at: T0, position: 60 }],
  },
  {
    name: 'moves with the rate between polls, but no further than the horizon',
    start: trackOf(100, 40, 2),
    steps: [
      { at: T0 + 2000, position: 56 },
      { at: T0 + 5000, position: 50 },
      { at: T0 + 60_000, position: 50 },
    ],
  },
  {
    name: 'never goes below zero (fast line)',
    start: trackOf(10, 8, 100),
    steps: [{ at: T0 + 5000, position: 0 }],
  },
  {
    name: 'never goes below zero (served past the seq)',
    start: trackOf(10, 50, 0, 0),
    steps: [{ at: T0, position: 0 }],
  },
  {
    name: 'does not jump back when the line moved slower than extrapolated',
    start: trackOf(100, 40, 2),
    steps: [
      { at: T0 + 5000, position: 50 },
      { observe: { serving: 42, ratePerSec: 0.5, at: T0 + 5000, horizonMs: 5000 } },
      { at: T0 + 5000, position: 50 },
    ],
  },
  {
    name: 'ignores a stale, lower serving',
    start: trackOf(100, 40, 0),
    steps: [
      { observe: { serving: 30, ratePerSec: 0, at: T0 + 1000, horizonMs: 5000 } },
      { serving: 40 },
      { at: T0 + 1000, position: 60 },
    ],
  },
];

const WAIT_CASES: {
  position: number | null;
  rate: number;
  range: ReturnType<typeof estimateWait>;
}[] = [
  { position: 100, rate: 2, range: { minMs: 37_500, maxMs: 75_000 } },
  { position: 100, rate: 0, range: { minMs: null, maxMs: null } },
  { position: null, rate: 2, range: { minMs: null, maxMs: null } },
  { position: 0, rate: 0, range: { minMs: 0, maxMs: 0 } },
];

describe('position-estimate', () => {
  for (const { name, start, steps } of TRACK_CASES) {
    it(name, () => {
      let track: Track = createPositionTrack(start);
      for (const step of steps) {
        if ('observe' in step) track = observeServing(track, step.observe);
        else if ('serving' in step) expect(track.serving).to.equal(step.serving);
        else expect(positionAt(track, step.at)).to.equal(step.position);
      }
    });
  }

  it('never rises over any sequence of answers and times (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(
          fc.record({
            serving: fc.integer({ min: 0, max: 12_000 }),
            rate: fc.double({ min: 0, max: 100, noNaN: true }),
            dt: fc.integer({ min: 0, max: 20_000 }),
          }),
          { maxLength: 30 },
        ),
        (seq, answers) => {
          let now = T0;
          let track = createPositionTrack({
            seq,
            serving: 0,
            ratePerSec: 0,
            at: now,
            horizonMs: 5000,
          });
          let shown = positionAt(track, now);
          for (const answer of answers) {
            now += answer.dt;
            const before = positionAt(track, now);
            if (before > shown || before < 0) return false;
            shown = before;
            track = observeServing(track, {
              serving: answer.serving,
              ratePerSec: answer.rate,
              at: now,
              horizonMs: 5000,
            });
            const after = positionAt(track, now);
            if (after > shown || after < 0) return false;
            shown = after;
          }
          return true;
        },
      ),
    );
  });

  for (const { position, rate, range } of WAIT_CASES) {
    it(`gives an honest range, and no numbers when the rate is unknown (${position} at ${rate}/s)`, () => {
      expect(estimateWait(position, rate)).to.deep.equal(range);
    });
  }
});
