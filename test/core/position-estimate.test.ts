import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  createPositionTrack,
  estimateWait,
  observeServing,
  positionAt,
} from '../../src/core/position-estimate.js';

const T0 = 1_000_000;

describe('position-estimate', () => {
  it('is seq - serving right after an answer', () => {
    const track = createPositionTrack({
      seq: 100,
      serving: 40,
      ratePerSec: 2,
      at: T0,
      horizonMs: 5000,
    });
    expect(positionAt(track, T0)).to.equal(60);
  });

  it('moves with the rate between polls, but no further than the horizon', () => {
    const track = createPositionTrack({
      seq: 100,
      serving: 40,
      ratePerSec: 2,
      at: T0,
      horizonMs: 5000,
    });
    expect(positionAt(track, T0 + 2000)).to.equal(56);
    expect(positionAt(track, T0 + 5000)).to.equal(50);
    expect(positionAt(track, T0 + 60_000)).to.equal(50);
  });

  it('never goes below zero', () => {
    const track = createPositionTrack({
      seq: 10,
      serving: 8,
      ratePerSec: 100,
      at: T0,
      horizonMs: 5000,
    });
    expect(positionAt(track, T0 + 5000)).to.equal(0);
    expect(
      positionAt(
        createPositionTrack({ seq: 10, serving: 50, ratePerSec: 0, at: T0, horizonMs: 0 }),
        T0,
      ),
    ).to.equal(0);
  });

  it('does not jump back when the line moved slower than extrapolated', () => {
    let track = createPositionTrack({
      seq: 100,
      serving: 40,
      ratePerSec: 2,
      at: T0,
      horizonMs: 5000,
    });
    expect(positionAt(track, T0 + 5000)).to.equal(50);
    track = observeServing(track, { serving: 42, ratePerSec: 0.5, at: T0 + 5000, horizonMs: 5000 });
    expect(positionAt(track, T0 + 5000)).to.equal(50);
  });

  it('ignores a stale, lower serving', () => {
    let track = createPositionTrack({
      seq: 100,
      serving: 40,
      ratePerSec: 0,
      at: T0,
      horizonMs: 5000,
    });
    track = observeServing(track, { serving: 30, ratePerSec: 0, at: T0 + 1000, horizonMs: 5000 });
    expect(track.serving).to.equal(40);
    expect(positionAt(track, T0 + 1000)).to.equal(60);
  });

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

  it('gives an honest range, and no numbers when the rate is unknown', () => {
    expect(estimateWait(100, 2)).to.deep.equal({ minMs: 37_500, maxMs: 75_000 });
    expect(estimateWait(100, 0)).to.deep.equal({ minMs: null, maxMs: null });
    expect(estimateWait(null, 2)).to.deep.equal({ minMs: null, maxMs: null });
    expect(estimateWait(0, 0)).to.deep.equal({ minMs: 0, maxMs: 0 });
  });
});
