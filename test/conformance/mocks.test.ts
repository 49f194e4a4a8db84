/**
 * The protocol conformance suite against the mocks: the simulator's `handle()` (the real app in
 * memory, no faults), in Node. Server-only cases need setup the simulator does not offer, and
 * cases where the mocks are known to differ (each names how, in the suite) are left out here
 * until the simulator is fixed; the server runs every case.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASES } from './suite.js';
import { mocksTarget } from './targets.js';

/** A hung answer fails the case instead of stopping the whole run. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

describe('protocol conformance: mocks (queue simulator)', () => {
  for (const testCase of CASES.filter((c) => !c.serverOnly && !c.mocksDiffer)) {
    it(testCase.name, async () => {
      const target = mocksTarget();
      await within(5000, testCase.run(target));
      for (const code of testCase.codes) assert.ok(target.seen.has(code), `answered ${code}`);
    });
  }
});
