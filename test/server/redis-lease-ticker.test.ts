import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lease } from '../../src/server/lease.js';
import { tickUnderLease } from '../../src/server/lease-ticker.js';

function fakes(held: boolean[]) {
  const calls: string[] = [];
  const lease: Lease = {
    owner: 'me',
    acquire: async () => held.shift() ?? false,
    release: async () => void calls.push('release'),
  };
  const service = {
    tick: async () => {
      calls.push('tick');
      return new Map();
    },
    refreshRates: async () => void calls.push('refresh'),
  };
  return { lease, service, calls };
}

describe('tickUnderLease', () => {
  it('moves the line only while this process holds the lease, and re-measures rates otherwise', async () => {
    const { lease, service, calls } = fakes([true, false, true]);
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await tickUnderLease(lease, service));
    assert.deepEqual(results, [true, false, true]);
    assert.deepEqual(calls, ['tick', 'refresh', 'tick']);
  });

  it('does nothing to the line when the lease cannot be asked for', async () => {
    const { service, calls } = fakes([]);
    const broken: Lease = {
      owner: 'me',
      acquire: () => Promise.reject(new Error('redis down')),
      release: async () => {},
    };
    await assert.rejects(tickUnderLease(broken, service), /redis down/);
    assert.deepEqual(calls, []);
  });
});
