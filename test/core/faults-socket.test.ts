import { expect } from '@open-wc/testing';
import { createHttpTransport } from '../../src/core/http-transport.js';
import { BACKOFF } from '../../src/core/poll-schedule.js';
import { POLL_BOUNDS } from '../../src/protocol.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';

// Served by scripts/fault-proxy-plugin.mjs on the test runner's own loopback server: the page's
// real fetch meets a real reset socket and a real short body, not a service worker's imitation.
const PROXY = `${location.origin}/__fault`;
type SocketFault = 'reset' | 'truncated';

describe('faults the client survives (socket level, loopback fault proxy)', () => {
  before(async () => {
    const health = await fetch(`${PROXY}/health`).catch(() => null);
    expect(
      health?.ok && (await health.text()) === 'ok',
      'the fault proxy is not installed: add faultProxyPlugin() from scripts/fault-proxy-plugin.mjs to the plugins of web-test-runner.config.mjs',
    ).to.equal(true);
  });

  it('calls a connection reset a network failure and a cut-off body an unreadable answer', async () => {
    const reset = await createHttpTransport({ endpoint: `${PROXY}/reset`, room: 'r1' }).state();
    expect(reset.ok).to.equal(false);
    if (!reset.ok) expect(reset.failure.kind).to.equal('network');

    const truncated = createHttpTransport({ endpoint: `${PROXY}/truncated`, room: 'r1' });
    const cut = await truncated.state();
    expect(cut.ok).to.equal(false);
    if (!cut.ok) expect(cut.failure).to.include({ kind: 'bad_response', status: 200 });
  });

  for (const [fault, code] of [
    ['reset', 'network'],
    ['truncated', 'bad_response'],
  ] as const) {
    it(`keeps the place through a ${fault} socket, says so, and retries after the jittered backoff`, async () => {
      const harness = createHarness({ simulator: { issued: 30, serving: 0 } });
      const { simulator, clock, engine, until, random, storage, room } = harness;
      let broken: SocketFault | null = null;
      const sent: number[] = [];
      // Polls go through the proxy while it is broken; everything else to the simulator.
      const viaProxy = ((input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        sent.push(clock.now());
        return broken && url.pathname.endsWith('/state')
          ? fetch(`${PROXY}/${broken}${url.pathname}`, init)
          : simulator.fetch(input, init);
      }) as typeof fetch;
      const queue = engine({ fetch: viaProxy });
      try {
        queue.start();
        const waiting = await until(queue, (s) => s.status === 'waiting');
        const stored = storage.getItem(ticketStorageKey(ENDPOINT, room));

        broken = fault;
        await clock.runNext();
        const failed = await until(queue, (s) => s.status === 'reconnecting');
        const failedAt = clock.now();
        expect(failed.problem?.code).to.equal(code);
        expect(failed).to.include({ seq: waiting.seq, rejection: null });
        expect(storage.getItem(ticketStorageKey(ENDPOINT, room))).to.equal(stored);
        // The first failure's window is the backoff base, spread by the failure's own draw; a
        // failed poll also waits at least its own next poll delay.
        const backoff = Math.round(random.drawn.at(-1)! * BACKOFF.baseMs);
        const delay = failed.nextAttemptAt! - failedAt;
        expect(delay, 'inside the backoff').to.be.at.least(backoff);
        expect(delay).to.be.at.most(Math.max(backoff, 1.5 * POLL_BOUNDS.maxMs));

        broken = null;
        simulator.advance(4);
        const count = sent.length;
        if (delay > 0) await clock.advance(delay - 1);
        expect(sent.length, 'retried early').to.equal(count);
        await clock.advance(1);
        expect(sent.slice(count)).to.deep.equal([failedAt + delay]);
        const back = await until(queue, (s) => s.status === 'waiting');
        expect(back).to.include({ seq: 31, serving: 4, problem: null });
      } finally {
        harness.stopAll();
      }
    });
  }
});
