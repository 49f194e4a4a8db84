import { expect } from '@open-wc/testing';
import { addCrowd, type CrowdProgress } from '../../demo/add-crowd.js';

/** A join whose answers the test releases one by one, counting how many are in flight. */
function controlledJoins(outcomes: Array<boolean | Error>) {
  const pending: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const join = () => {
    const outcome = outcomes[calls++];
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<boolean>((resolve, reject) => {
      pending.push(() => {
        inFlight -= 1;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      });
    });
  };
  const settleAll = async () => {
    while (pending.length > 0 || inFlight > 0) {
      pending.shift()?.();
      await Promise.resolve();
      await Promise.resolve();
    }
  };
  return { join, settleAll, stats: () => ({ maxInFlight, calls }) };
}

describe('adding a crowd', () => {
  it('never has more joins in flight than the concurrency allows', async () => {
    const joins = controlledJoins(Array.from({ length: 10 }, () => true));
    const done = addCrowd({ count: 10, concurrency: 3, join: joins.join });
    await joins.settleAll();
    const result = await done;
    expect(joins.stats()).to.deep.equal({ maxInFlight: 3, calls: 10 });
    expect(result).to.deep.equal({ total: 10, joined: 10, failed: 0 });
  });

  it('counts refused and failed joins and carries on with the rest', async () => {
    const joins = controlledJoins([true, false, new TypeError('offline'), true]);
    const seen: CrowdProgress[] = [];
    const done = addCrowd({
      count: 4,
      concurrency: 1,
      join: joins.join,
      onProgress: (p) => seen.push(p),
    });
    await joins.settleAll();
    expect(await done).to.deep.equal({ total: 4, joined: 2, failed: 2 });
    expect(seen.map((p) => p.joined + p.failed)).to.deep.equal([1, 2, 3, 4]);
  });

  it('starts no new joins once aborted', async () => {
    const controller = new AbortController();
    const joins = controlledJoins(Array.from({ length: 20 }, () => true));
    const done = addCrowd({
      count: 20,
      concurrency: 2,
      join: joins.join,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.joined === 4) controller.abort();
      },
    });
    await joins.settleAll();
    const result = await done;
    expect(joins.stats().calls).to.be.below(20);
    expect(result.joined).to.equal(joins.stats().calls);
  });
});
