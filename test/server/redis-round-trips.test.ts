/**
 * What each visitor request costs Redis, counted exactly (`bench/redis-operation-costs.ts`: a
 * counting proxy for round trips and commands sent, `INFO commandstats` for commands executed)
 * with a real server over real HTTP against a real redis-server, one request at a time. The
 * bounds are counts, not timings: a change that adds a round trip or a command to a hot path
 * fails here.
 *
 * Before the cuts of issue 16 (same scenario): join 3 round trips and 6 commands executed;
 * first claim 4 and 21; repeat claim 2 and 5; first claim with `maxActive` 5 and 30, with the
 * room's whole activity copied to the server each time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { highestCost, measureRedisOperationCosts } from '../../bench/redis-operation-costs.js';
import type { RedisCost, RedisOperationCosts } from '../../bench/redis-operation-costs.js';
import { startTestRedis } from './support/redis-server.js';
import type { TestRedis } from './support/redis-server.js';

type Bound = Omit<RedisCost, 'answerBytes'>;

/** Checks the highest cost of `costs` against `bound`, reporting it. */
function assertAtMost(t: TestContext, costs: RedisCost[], bound: Bound): void {
  assert.ok(costs.length > 0);
  const { answerBytes, ...seen } = highestCost(costs);
  t.diagnostic(`${JSON.stringify(seen)}, ${answerBytes} bytes answered`);
  const over = (Object.keys(bound) as Array<keyof Bound>).filter((key) => seen[key] > bound[key]);
  assert.deepEqual(over, [], `cost ${JSON.stringify(seen)}, bound ${JSON.stringify(bound)}`);
}

describe('Redis round trips and commands per request', () => {
  let redis: TestRedis;
  let costs: RedisOperationCosts;

  before(async () => {
    redis = await startTestRedis();
    costs = await measureRedisOperationCosts(redis);
  });
  after(async () => {
    await redis?.stop();
  });

  it('a join costs one round trip, and one more when its block of seqs ran out', (t) => {
    // One at a time, every join takes a fresh block of one seq: the costliest join.
    assertAtMost(t, costs.join, { roundTrips: 2, sent: 2, executed: 5 });
    // At once, joins share blocks: little more than the room's read each.
    assert.ok(costs.concurrentJoin.sent < 1.5, `${costs.concurrentJoin.sent} commands per join`);
  });

  it('a state answer costs one round trip', (t) => {
    assertAtMost(t, costs.state, { roundTrips: 1, sent: 1, executed: 1 });
  });

  it('a first claim costs three round trips, a repeat claim two', (t) => {
    assertAtMost(t, costs.firstClaim, { roundTrips: 3, sent: 4, executed: 19 });
    assertAtMost(t, costs.repeatClaim, { roundTrips: 2, sent: 3, executed: 9 });
  });

  it('with maxActive a first claim costs the same, however many claims the room holds', (t) => {
    const capped = costs.cappedFirstClaim;
    assertAtMost(t, capped, { roundTrips: 3, sent: 5, executed: 25 });
    // The last claim finds some 40 claims in the room, the first measured one finds 1: neither
    // the commands nor the bytes Redis answers may grow with them (the whole activity did).
    const [first, last] = [capped[0]!, capped[capped.length - 1]!];
    assert.equal(last.executed, first.executed);
    assert.ok(last.answerBytes <= first.answerBytes + 64, `${last.answerBytes} bytes answered`);
  });

  it('a booking costs two round trips', (t) => {
    assertAtMost(t, costs.booking, { roundTrips: 2, sent: 2, executed: 9 });
  });

  it('an advance by the admin costs at most five round trips', (t) => {
    // Not a visitor's request: bounded so that it does not grow unnoticed. Its commands grow
    // with the moves kept (pruned as it goes), so the bound leaves room for a few.
    assertAtMost(t, costs.advance, { roundTrips: 5, sent: 5, executed: 30 });
  });
});
