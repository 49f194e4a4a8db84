/**
 * The origin load of a waiting crowd, computed (not timed): a simulated clock and seeded
 * jitter run the client's real poll scheduler for every visitor, so the figures asserted here
 * are the same on every machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CROWD_SCENARIO,
  ORIGIN_BOUND_PER_MILLION,
  steadyOriginLoad,
} from '../../bench/crowd-bench.js';
import { originRate, simulateCrowd } from '../../bench/crowd-simulation.js';

const MILLION = 1_000_000;

test('a million visitors on a standing line put at most 35,000 requests/s on an origin without a CDN', () => {
  const load = steadyOriginLoad(MILLION, 0);
  assert.equal(load.waiting, MILLION);
  assert.ok(
    load.perMillionWaiting <= ORIGIN_BOUND_PER_MILLION,
    `${Math.round(load.perMillionWaiting)} requests/s per million waiting`,
  );
  // Not vacuous: everyone still polls, at about one request per half-minute each.
  assert.ok(load.perMillionWaiting > 20_000, `${Math.round(load.perMillionWaiting)} requests/s`);
});

test('a line that moves costs the origin less than one that stands, since far visitors poll by their wait', () => {
  const standing = steadyOriginLoad(MILLION, 0);
  const moving = steadyOriginLoad(MILLION, CROWD_SCENARIO.movingAdmitPerSec);
  assert.ok(moving.perMillionWaiting < standing.perMillionWaiting * 0.75);
  assert.ok(moving.perMillionWaiting <= ORIGIN_BOUND_PER_MILLION);
});

test('the scheduler asks less than a fifth of what fixed 3 s polling asks of the same crowd', () => {
  const visitors = 100_000;
  const scaled = steadyOriginLoad(visitors, 0);
  const fixed = originRate(
    simulateCrowd({
      visitors,
      policy: { kind: 'fixed', intervalMs: 3000 },
      admitPerSec: 0,
      arrivalMs: CROWD_SCENARIO.arrivalMs,
      durationMs: CROWD_SCENARIO.steadyToMs,
    }),
    CROWD_SCENARIO.steadyFromMs,
    CROWD_SCENARIO.steadyToMs,
  );
  assert.equal(Math.round(fixed.perSecond), Math.round(visitors / 3));
  assert.ok(scaled.perSecond < fixed.perSecond / 5, `${scaled.perSecond} vs ${fixed.perSecond}`);
});

test('behind a CDN the origin sees about one state request per edge per max-age', () => {
  const edges = 20;
  const load = steadyOriginLoad(100_000, 0, { cdn: { edges, maxAgeMs: 1000 } });
  assert.ok(load.statePerSecond <= edges, `${load.statePerSecond} state requests/s`);
  assert.ok(load.statePerSecond >= edges * 0.9, `${load.statePerSecond} state requests/s`);
});

test('the same seed gives the same crowd, request for request', () => {
  const options = {
    visitors: 20_000,
    policy: { kind: 'queue-gate', basePollMs: 2000 },
    admitPerSec: 50,
    arrivalMs: 10_000,
    durationMs: 60_000,
    seed: 7,
  } as const;
  const first = simulateCrowd(options);
  const second = simulateCrowd(options);
  assert.deepEqual([...second.states], [...first.states]);
  assert.deepEqual([...second.admits], [...first.admits]);
  const other = simulateCrowd({ ...options, seed: 8 });
  assert.notDeepEqual([...other.states], [...first.states]);
});
