import { expect } from '@open-wc/testing';
import {
  RETRY_AFTER_MAX_MS,
  createHttpTransport,
  parseRetryAfter,
} from '../../src/core/http-transport.js';
import { createManualClock } from '../../src/core/manual-clock.js';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import type { Fault } from '../../src/mocks/queue-simulator.js';

const endpoint = 'https://queue.test/base/';

function setup(options: { issued?: number; serving?: number } = {}) {
  const clock = createManualClock();
  const sim = createQueueSimulator({ room: 'demo', ...options, now: clock.now });
  const transport = createHttpTransport({
    endpoint,
    room: 'demo',
    fetch: sim.fetch,
    clock,
    requestTimeoutMs: 5000,
  });
  return { clock, sim, transport };
}

describe('http-transport', () => {
  it('joins, reads the state and claims an admission with validated answers', async () => {
    const { sim, transport } = setup({ issued: 9, serving: 0 });
    const joined = await transport.join(null);
    if (!joined.ok) throw new Error(joined.failure.message);
    expect(joined.value.seq).to.equal(10);
    expect(sim.requests[0]?.path).to.equal('/base/rooms/demo/join');

    const rejoined = await transport.join(joined.value.ticket);
    expect(rejoined.ok && rejoined.value.seq).to.equal(10);

    const state = await transport.state();
    expect(state.ok && state.value.issued).to.equal(10);

    const early = await transport.admit(joined.value.ticket);
    expect(early.ok).to.equal(false);
    if (!early.ok)
      expect(early.failure).to.include({ kind: 'http', status: 409, code: 'not_your_turn' });

    sim.advance(10);
    const admitted = await transport.admit(joined.value.ticket);
    expect(admitted.ok && admitted.value.admission).to.be.a('string');
    expect(sim.requests.at(-1)?.ticket).to.equal(joined.value.ticket);
  });

  it('classifies a dropped connection as network', async () => {
    const { sim, transport } = setup();
    sim.setOffline(true);
    const result = await transport.state();
    expect(!result.ok && result.failure.kind).to.equal('network');
  });

  it('aborts a hanging request after the timeout and calls it a timeout', async () => {
    const { sim, transport, clock } = setup();
    sim.failNext(1, { kind: 'hang' });
    const pending = transport.state();
    await clock.advance(5000);
    const result = await pending;
    expect(!result.ok && result.failure.kind).to.equal('timeout');
  });

  it('reports status, code and Retry-After of an overloaded server', async () => {
    const { sim, transport } = setup();
    sim.failNext(1, { kind: 'status', status: 503, code: 'overloaded', retryAfterSeconds: 7 });
    const result = await transport.state();
    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.failure).to.deep.include({
        kind: 'http',
        status: 503,
        code: 'overloaded',
        retryAfterMs: 7000,
      });
    }
  });

  it('calls malformed, truncated and HTML answers bad_response', async () => {
    const faults: Fault[] = [
      { kind: 'invalid-json' },
      { kind: 'truncated' },
      { kind: 'wrong-content-type' },
    ];
    for (const fault of faults) {
      const { sim, transport } = setup();
      sim.failNext(1, fault);
      const result = await transport.join(null);
      expect(!result.ok && result.failure.kind, fault.kind).to.equal('bad_response');
    }
  });

  it('refuses a 200 whose JSON has the wrong shape', async () => {
    const clock = createManualClock();
    const fakeFetch: typeof fetch = async () =>
      new Response(JSON.stringify({ seq: 'one', ticket: 42 }), {
        headers: { 'Content-Type': 'application/json' },
      });
    const transport = createHttpTransport({ endpoint, room: 'demo', fetch: fakeFetch, clock });
    const result = await transport.join(null);
    expect(!result.ok && result.failure.kind).to.equal('bad_response');
  });

  it("passes the server's ticket refusal code through", async () => {
    const { sim, transport } = setup();
    const joined = await transport.join(null);
    sim.rejectTickets('token_expired');
    const result = await transport.join(joined.ok ? joined.value.ticket : 'x');
    expect(!result.ok && result.failure.kind === 'http' && result.failure.code).to.equal(
      'token_expired',
    );
  });

  it('polls the state with safelisted headers only, so a cross-origin poll needs no preflight', async () => {
    const seen: Headers[] = [];
    const { sim, clock } = setup({ serving: 5, issued: 5 });
    const spyFetch: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers));
      return sim.fetch(input, init);
    };
    const transport = createHttpTransport({ endpoint, room: 'demo', fetch: spyFetch, clock });
    const result = await transport.state();
    expect(result.ok && result.value.serving).to.equal(5);
    expect([...seen[0]!.keys()]).to.deep.equal(['accept']);
  });

  it('revalidates the state with the server instead of reading a stale browser copy', async () => {
    const modes: (RequestCache | undefined)[] = [];
    const { sim, clock } = setup({ serving: 5, issued: 5 });
    const spyFetch: typeof fetch = (input, init) => {
      modes.push(init?.cache);
      return sim.fetch(input, init);
    };
    const transport = createHttpTransport({ endpoint, room: 'demo', fetch: spyFetch, clock });
    await transport.state();
    expect(modes).to.deep.equal(['no-cache']);
  });

  it('ends a request when the caller aborts it', async () => {
    const { sim, transport } = setup();
    sim.failNext(1, { kind: 'hang' });
    const controller = new AbortController();
    const pending = transport.state({ signal: controller.signal });
    controller.abort();
    const result = await pending;
    expect(!result.ok && result.failure.kind).to.equal('network');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).to.equal(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('soon', now)).to.equal(null);
    expect(parseRetryAfter(null, now)).to.equal(null);
  });

  it('obeys Retry-After for five minutes at most, so a turn is never missed for it', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter('86400', now), 'a proxy asking for a day').to.equal(RETRY_AFTER_MAX_MS);
    // An HTTP date 30 s ahead, read on a device whose clock runs three hours behind.
    const behind = now - 3 * 3_600_000;
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', behind)).to.equal(RETRY_AFTER_MAX_MS);
    expect(parseRetryAfter('300', now)).to.equal(300_000);
    expect(RETRY_AFTER_MAX_MS).to.equal(300_000);
  });
});
