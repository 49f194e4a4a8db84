import { expect, waitUntil } from '@open-wc/testing';
import { createDomLifecycle } from '../../src/core/lifecycle.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/core/http-transport.js';
import { BACKOFF } from '../../src/core/poll-schedule.js';
import { POLL_BOUNDS } from '../../src/protocol.js';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import type { QueueSimulator } from '../../src/mocks/queue-simulator.js';
import { faultResponse, type Fault } from '../../src/mocks/simulated-fault.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';

type Endpoint = 'join' | 'state' | 'admit';
type Harness = ReturnType<typeof createHarness>;

/**
 * A fetch in front of the simulator that injects faults per endpoint and logs when each request
 * left the client (on the manual clock): the timestamps the backoff assertions are made on.
 */
function faultyFetch(simulator: QueueSimulator, now: () => number) {
  const queued: Record<Endpoint, Fault[]> = { join: [], state: [], admit: [] };
  const log: { endpoint: Endpoint; at: number }[] = [];
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input instanceof Request ? input : String(input), init);
    const endpoint = new URL(request.url).pathname.split('/').pop() as Endpoint;
    log.push({ endpoint, at: now() });
    const fault = queued[endpoint].shift();
    return fault
      ? faultResponse(fault, request, () => simulator.handle(request))
      : simulator.dispatch(request);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    log,
    fail: (endpoint: Endpoint, ...faults: Fault[]) => queued[endpoint].push(...faults),
  };
}

/**
 * The retry delay the protocol promises, computed here rather than by the code under test:
 * `Retry-After` as a floor, plus the failure's own draw over the full-jitter window.
 */
function jittered(attempt: number, draw: number, retryAfterMs = 0): number {
  return retryAfterMs + Math.round(draw * Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** attempt));
}

/**
 * A failed `state` poll waits its backoff draw or the visitor's own next poll delay, whichever
 * is later (the poll floor); never sooner than the backoff, never later than the longest poll.
 */
function expectPollRetryDelay(delay: number, backoff: number): void {
  expect(delay, 'retried inside the backoff').to.be.at.least(backoff);
  expect(delay, 'later than any poll would have been').to.be.at.most(
    Math.max(backoff, 1.5 * POLL_BOUNDS.maxMs),
  );
}

interface FaultCase {
  name: string;
  endpoint: Endpoint;
  fault: Fault;
  code: string;
  retryAfterMs?: number;
}

const CASES: FaultCase[] = [
  { name: '500', endpoint: 'state', fault: { kind: 'status', status: 500 }, code: 'internal' },
  { name: '502', endpoint: 'state', fault: { kind: 'status', status: 502 }, code: 'internal' },
  { name: '503', endpoint: 'join', fault: { kind: 'status', status: 503 }, code: 'overloaded' },
  { name: '504', endpoint: 'admit', fault: { kind: 'status', status: 504 }, code: 'internal' },
  {
    name: '503 with Retry-After',
    endpoint: 'state',
    fault: { kind: 'status', status: 503, retryAfterSeconds: 30 },
    code: 'overloaded',
    retryAfterMs: 30_000,
  },
  {
    name: '429 with Retry-After',
    endpoint: 'join',
    fault: { kind: 'status', status: 429, retryAfterSeconds: 20 },
    code: 'rate_limited',
    retryAfterMs: 20_000,
  },
  {
    name: '429 with Retry-After on the claim',
    endpoint: 'admit',
    fault: { kind: 'status', status: 429, retryAfterSeconds: 5 },
    code: 'rate_limited',
    retryAfterMs: 5000,
  },
  { name: 'a dropped connection', endpoint: 'join', fault: { kind: 'network' }, code: 'network' },
  { name: 'a hang', endpoint: 'state', fault: { kind: 'hang' }, code: 'timeout' },
  { name: 'a hang on the claim', endpoint: 'admit', fault: { kind: 'hang' }, code: 'timeout' },
  {
    name: 'a truncated body',
    endpoint: 'admit',
    fault: { kind: 'truncated' },
    code: 'bad_response',
  },
  {
    name: 'invalid JSON',
    endpoint: 'state',
    fault: { kind: 'invalid-json' },
    code: 'bad_response',
  },
  {
    name: 'a wrong content type (a captive portal)',
    endpoint: 'join',
    fault: { kind: 'wrong-content-type' },
    code: 'bad_response',
  },
];

describe('faults the client survives (HTTP level)', () => {
  let harness: Harness;
  afterEach(() => harness?.stopAll());

  /** A visitor at seq 21 waiting (or, for `admit`, whose turn came), with the fault armed. */
  async function arm(endpoint: Endpoint, faults: Fault[]) {
    harness = createHarness({ simulator: { issued: 20, serving: 0 } });
    const { simulator, clock, engine, until } = harness;
    const net = faultyFetch(simulator, clock.now);
    let queue: QueueEngine = engine({ fetch: net.fetch });
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');
    const key = ticketStorageKey(ENDPOINT, harness.room);
    const storedBefore = harness.storage.getItem(key);
    net.fail(endpoint, ...faults);
    if (endpoint === 'join') {
      // A reload: the join presents the kept ticket, and it is that join that fails.
      queue.stop();
      queue = engine({ fetch: net.fetch });
      queue.start();
    } else {
      if (endpoint === 'admit') simulator.advance(21);
      await clock.runNext();
    }
    return { ...net, queue, waiting, key, storedBefore };
  }

  /** Waits for the failure to land; a hang lands only when the request timeout fires. */
  async function untilReconnecting(
    queue: QueueEngine,
    c: FaultCase,
    log: { endpoint: Endpoint }[],
  ): Promise<QueueSnapshot> {
    if (c.fault.kind === 'hang') {
      await waitUntil(() => log.at(-1)?.endpoint === c.endpoint, 'the request was never sent');
      await harness.clock.advance(DEFAULT_REQUEST_TIMEOUT_MS);
    }
    return harness.until(queue, (s) => s.status === 'reconnecting');
  }

  for (const c of CASES) {
    it(`keeps the place through ${c.name} on ${c.endpoint}, says so, and retries no sooner than allowed`, async () => {
      const { queue, waiting, log, key, storedBefore } = await arm(c.endpoint, [c.fault]);
      const { clock, random, storage, until } = harness;
      const failed = await untilReconnecting(queue, c, log);
      const failedAt = clock.now();
      const sent = log.length;
      const failing = log.at(-1)!;

      expect(failing.endpoint).to.equal(c.endpoint);
      if (c.fault.kind === 'hang') {
        expect(failedAt - failing.at).to.equal(DEFAULT_REQUEST_TIMEOUT_MS);
      }
      expect(failed.problem?.code).to.equal(c.code);
      expect(failed.problem?.message).to.be.a('string').and.not.equal('');
      expect(failed.seq).to.equal(waiting.seq);
      expect(failed.rejection).to.equal(null);
      expect(failed.admission).to.equal(null);
      expect(storage.getItem(key)).to.equal(storedBefore);

      // The delay is the failure's own draw over the full-jitter window, on top of Retry-After;
      // a failed poll also waits at least its own next poll delay.
      const backoff = jittered(0, random.drawn.at(-1)!, c.retryAfterMs);
      expect(backoff).to.be.within(c.retryAfterMs ?? 0, (c.retryAfterMs ?? 0) + BACKOFF.baseMs);
      const delay = failed.nextAttemptAt! - failedAt;
      if (c.endpoint === 'state') expectPollRetryDelay(delay, backoff);
      else expect(delay).to.equal(backoff);
      if (delay > 0) {
        await clock.advance(delay - 1);
        expect(log.length, 'a retry came early').to.equal(sent);
      }
      await clock.advance(1);
      expect(log.length).to.equal(sent + 1);
      expect(log[sent]).to.deep.equal({ endpoint: c.endpoint, at: failedAt + delay });

      const goal = c.endpoint === 'admit' ? 'admitted' : 'waiting';
      const recovered = await until(queue, (s) => s.status === goal);
      expect(recovered).to.include({ seq: waiting.seq, problem: null, rejection: null });
    });
  }

  it('widens the jittered window after each failure in a row and never retries inside it', async () => {
    const fault: Fault = { kind: 'status', status: 503 };
    const { queue, log } = await arm('state', [fault, fault, fault, fault, fault]);
    const { clock, random, until } = harness;
    for (let attempt = 0; attempt < 5; attempt++) {
      const failed = await until(
        queue,
        (s) => s.status === 'reconnecting' && s.nextAttemptAt !== null,
      );
      const failedAt = clock.now();
      const delay = failed.nextAttemptAt! - failedAt;
      const backoff = jittered(attempt, random.drawn.at(-1)!);
      expect(backoff).to.be.within(0, BACKOFF.baseMs * 2 ** attempt);
      expectPollRetryDelay(delay, backoff);
      const sent = log.length;
      if (delay > 0) await clock.advance(delay - 1);
      expect(log.length, `attempt ${attempt} came early`).to.equal(sent);
      await clock.runNext();
      expect(log.at(-1)!.at).to.equal(failedAt + delay);
    }
    await until(queue, (s) => s.status === 'waiting' && s.problem === null);
  });

  it('gives up on a 10 s answer at the timeout, tells the visitor, and takes a faster one later', async () => {
    harness = createHarness({ simulator: { issued: 20, serving: 0 } });
    const { simulator, clock, engine, until } = harness;
    simulator.configure({
      sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
    });
    const net = faultyFetch(simulator, clock.now);
    const queue = engine({ fetch: net.fetch });
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');

    simulator.setLatency(10_000);
    await clock.runNext();
    const polledAt = net.log.at(-1)!.at;
    await clock.advance(DEFAULT_REQUEST_TIMEOUT_MS - 1);
    expect(queue.getSnapshot().status, 'gave up before the timeout').to.equal('waiting');
    await clock.advance(1);
    const slow = await until(queue, (s) => s.status === 'reconnecting');
    expect(clock.now() - polledAt).to.equal(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(slow.problem?.code).to.equal('timeout');
    expect(slow.seq).to.equal(waiting.seq);

    // While a slow request is out, nothing else is sent: one request per attempt, no pile-up.
    simulator.setLatency(3000);
    simulator.advance(5);
    const sent = net.log.length;
    await clock.advance(slow.nextAttemptAt! - clock.now());
    expect(net.log.length).to.equal(sent + 1);
    await clock.advance(2999);
    expect(queue.getSnapshot().status).to.equal('reconnecting');
    expect(net.log.length).to.equal(sent + 1);
    await clock.advance(1);
    const back = await until(queue, (s) => s.status === 'waiting');
    expect(back).to.include({ seq: 21, serving: 5, problem: null });
  });

  it('waits out a browser that went offline, and asks at once when the online event fires', async () => {
    harness = createHarness({ simulator: { issued: 20, serving: 0 } });
    const { simulator, clock, engine, until, requestsTo } = harness;
    // Draws at 0.9 of each window: the second retry is 1.8 s out, past the resume floor.
    const queue = engine({ lifecycle: createDomLifecycle(), random: () => 0.9 });
    queue.start();
    const waiting = await until(queue, (s) => s.status === 'waiting');

    simulator.setOffline(true);
    await clock.runNext();
    const offline = await until(queue, (s) => s.status === 'reconnecting');
    expect(offline.problem?.code).to.equal('network');
    await clock.runNext();
    const second = await until(queue, (s) => s.status === 'reconnecting' && s.nextAttemptAt! > 0);
    expect(second.seq).to.equal(waiting.seq);
    // 0.9 of the 2 s window, or the visitor's own next poll if later.
    expectPollRetryDelay(second.nextAttemptAt! - clock.now(), 1800);

    simulator.setOffline(false);
    simulator.advance(3);
    await clock.advance(BACKOFF.baseMs);
    const polls = requestsTo('state').length;
    window.dispatchEvent(new Event('online'));
    const back = await until(queue, (s) => s.status === 'waiting');
    expect(requestsTo('state')).to.have.length(polls + 1);
    expect(back).to.include({ seq: 21, serving: 3, problem: null });

    // Flapping online events cannot become a way to poll faster than the protocol's floor.
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('online'));
    await clock.advance(0);
    expect(requestsTo('state')).to.have.length(polls + 1);
  });
});
