import { expect } from '@open-wc/testing';
import { BACKOFF } from '../../src/core/poll-schedule.js';
import { POLL_BOUNDS } from '../../src/protocol.js';
import type { Fault } from '../../src/mocks/simulated-fault.js';
import { useMswEngine } from './helpers/msw-engine.js';
import { memoryStorage, uniqueRoom } from './helpers/test-doubles.js';

const ENDPOINT = 'https://faults.msw.test';

describe('faults through a real MSW service worker and the page’s own fetch', () => {
  const { clock, simulator, random, start, snapshot, settle } = useMswEngine(
    ENDPOINT,
    uniqueRoom('msw-faults'),
    { issued: 20, serving: 0 },
    11,
  );

  it('keeps the place through a chain of faults and retries only when allowed', async () => {
    start({ witnessStorage: memoryStorage() });
    const waiting = await settle((s) => s.status === 'waiting', 'never joined');
    expect(waiting.seq).to.equal(21);

    const chain: [Fault, string, number][] = [
      [{ kind: 'status', status: 503, retryAfterSeconds: 30 }, 'overloaded', 30_000],
      [{ kind: 'status', status: 429, retryAfterSeconds: 7 }, 'rate_limited', 7000],
      [{ kind: 'invalid-json' }, 'bad_response', 0],
      [{ kind: 'wrong-content-type' }, 'bad_response', 0],
      [{ kind: 'truncated' }, 'bad_response', 0],
      [{ kind: 'network' }, 'network', 0],
    ];
    for (const [attempt, [fault, code, retryAfterMs]] of chain.entries()) {
      // Fires the poll, then each turn the retry the previous failure scheduled.
      simulator.failNext(1, fault);
      await clock.runNext();
      const failed = await settle(
        (s) => s.status === 'reconnecting' && s.nextAttemptAt !== null && s.problem?.code === code,
        `never reported ${code}`,
      );
      const failedAt = clock.now();
      const window = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt);
      const backoff = retryAfterMs + Math.round(random.drawn.at(-1)! * window);
      const delay = failed.nextAttemptAt! - failedAt;
      // A failed poll waits its backoff, or its own next poll delay when that is later.
      expect(delay, `${code}: inside the backoff`).to.be.at.least(backoff);
      expect(delay, code).to.be.at.most(Math.max(backoff, 1.5 * POLL_BOUNDS.maxMs));
      expect(failed.seq).to.equal(21);
      const seen = simulator.requests.length;
      if (delay > 0) await clock.advance(delay - 1);
      expect(simulator.requests.length, `${code}: retried early`).to.equal(seen);
    }

    simulator.advance(21);
    await clock.runNext();
    await settle((s) => s.status === 'admitted', 'never admitted');
    expect(snapshot()).to.include({ seq: 21, problem: null, rejection: null });
    const joins = simulator.requests.filter((request) => request.path.endsWith('/join'));
    expect(joins).to.have.length(1);
  });
});
