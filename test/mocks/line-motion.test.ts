import { expect } from '@open-wc/testing';
import { createLineMotion } from '../../src/mocks/line-motion.js';

describe('createLineMotion', () => {
  it('moves whole places at the rate and keeps the fraction for later', () => {
    const line = createLineMotion(0, 10);
    line.catchUp(1500, 2, 100);
    expect(line.serving).to.equal(13);
    line.catchUp(1750, 2, 100);
    expect(line.serving).to.equal(13);
    line.catchUp(2000, 2, 100);
    expect(line.serving).to.equal(14);
  });

  it('stops at the cap without banking the capacity it could not use', () => {
    const line = createLineMotion(0, 0);
    line.catchUp(10_000, 5, 3);
    expect(line.serving).to.equal(3);
    line.catchUp(10_100, 5, 10);
    expect(line.serving, 'a tenth of a second at 5/s is half a place').to.equal(3);
  });

  it('tells when each seq was reached, by rate or by jump', () => {
    const line = createLineMotion(1000, 0);
    line.catchUp(5000, 1, 100); // seq n reached at 1000 + n s
    expect(line.turnAt(1)).to.equal(2000);
    expect(line.turnAt(3)).to.equal(4000);
    line.jump(7000, 10);
    expect(line.turnAt(9)).to.equal(7000);
    expect(line.turnAt(15)).to.equal(null);
  });

  it('dates seqs that were already in at the start from the start', () => {
    const line = createLineMotion(500, 20);
    expect(line.turnAt(20)).to.equal(500);
    expect(line.turnAt(21)).to.equal(null);
  });

  it('forgets history beyond a front that is set back', () => {
    const line = createLineMotion(0, 0);
    line.jump(100, 50);
    line.set(200, 10);
    expect(line.serving).to.equal(10);
    expect(line.turnAt(11)).to.equal(null);
    line.set(300, 30);
    expect(line.turnAt(25)).to.equal(300);
  });
});
