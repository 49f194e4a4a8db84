import { expect } from '@open-wc/testing';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import type { JoinResponse } from '../../src/protocol.js';
import { ORIGIN, codeOf, join, joinOk, manualClock, state } from './protocol-calls.js';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to reject');
}

describe('queue simulator: faults', () => {
  it('fails the next requests with a status fault, Retry-After included, then recovers', async () => {
    const sim = createQueueSimulator({ issued: 3 });
    sim.failNext(2, { kind: 'status', status: 503, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const response = await state(sim);
      expect(response.status).to.equal(503);
      expect(response.headers.get('Retry-After')).to.equal('7');
      expect(await codeOf(response)).to.equal('overloaded');
    }
    expect((await state(sim)).status).to.equal(200);
  });

  it('answers 429 rate_limited with Retry-After and keeps explicit codes', async () => {
    const sim = createQueueSimulator();
    sim.failNext(1, { kind: 'status', status: 429, retryAfterSeconds: 3 });
    sim.failNext(1, { kind: 'status', status: 500, code: 'internal' });
    const limited = await state(sim);
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('Retry-After')).to.equal('3');
    expect(await codeOf(limited)).to.equal('rate_limited');
    expect(await codeOf(await state(sim))).to.equal('internal');
  });

  it('rejects like a dropped connection for a network fault and while offline', async () => {
    const sim = createQueueSimulator();
    sim.failNext(1, { kind: 'network' });
    expect(await rejectionOf(state(sim))).to.be.instanceOf(TypeError);
    expect((await state(sim)).status).to.equal(200);
    sim.setOffline(true);
    expect(await rejectionOf(join(sim))).to.be.instanceOf(TypeError);
    expect((await sim.snapshot()).issued, 'an offline join takes no place').to.equal(0);
    sim.setOffline(false);
    expect((await join(sim)).status).to.equal(200);
    expect(sim.requests.map((r) => r.status)).to.deep.equal([undefined, 200, undefined, 200]);
  });

  it('hangs until the caller aborts', async () => {
    const sim = createQueueSimulator();
    sim.failNext(1, { kind: 'hang' });
    const controller = new AbortController();
    let settled = false;
    const pending = sim.fetch(`${ORIGIN}/rooms/demo/state`, { signal: controller.signal });
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    // One macrotask lets every already-settled promise run; a hang is still pending after it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).to.equal(false);
    controller.abort();
    const error = await rejectionOf(pending);
    expect((error as DOMException).name).to.equal('AbortError');
  });

  it('answers a 200 whose JSON body cannot be parsed for invalid-json', async () => {
    const sim = createQueueSimulator();
    sim.failNext(1, { kind: 'invalid-json' });
    const response = await state(sim);
    expect(response.status).to.equal(200);
    expect(response.headers.get('Content-Type')).to.match(/json/);
    expect(await rejectionOf(response.json())).to.be.instanceOf(SyntaxError);
  });

  it('cuts the real answer for truncated, after the server did the work', async () => {
    const sim = createQueueSimulator({ issued: 10, now: manualClock().now });
    sim.failNext(1, { kind: 'truncated' });
    const response = await join(sim);
    expect(response.status).to.equal(200);
    expect(await rejectionOf(response.json())).to.be.instanceOf(SyntaxError);
    expect((await sim.snapshot()).issued, 'the lost answer still took a place').to.equal(11);
  });

  it('answers an HTML page for wrong-content-type', async () => {
    const sim = createQueueSimulator();
    sim.failNext(1, { kind: 'wrong-content-type' });
    const response = await state(sim);
    expect(response.status).to.equal(200);
    expect(response.headers.get('Content-Type')).to.match(/^text\/html/);
    expect(await response.text()).to.match(/^<!doctype html>/);
  });

  it('fails the share of requests the injected random picks', async () => {
    const draws = [0.1, 0.9, 0.2, 0.5, 0.29];
    const sim = createQueueSimulator({ random: () => draws.shift() ?? 0.99 });
    sim.setFailureRate(0.3);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await state(sim)).status);
    expect(statuses).to.deep.equal([502, 200, 502, 200, 502]);
    sim.setFailureRate(0);
    expect((await state(sim)).status).to.equal(200);
  });

  it('draws one random number per request, however many tokens it mints', async () => {
    let draws = 0;
    const sim = createQueueSimulator({
      serving: 5,
      random: () => {
        draws += 1;
        return 0.99;
      },
    });
    await joinOk(sim);
    expect(draws, 'no failure rate, no draw').to.equal(0);
    sim.setFailureRate(0.5);
    const { ticket } = await joinOk(sim);
    await state(sim);
    await sim.fetch(`${ORIGIN}/rooms/demo/admit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ticket}` },
    });
    expect(draws).to.equal(3);
  });

  it('delays answers through the injected sleep', async () => {
    const waits: number[] = [];
    const sim = createQueueSimulator({
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await state(sim);
    expect(waits).to.deep.equal([]);
    sim.setLatency(1500);
    expect((await state(sim)).status).to.equal(200);
    expect(waits).to.deep.equal([1500]);
  });

  it('ends every injected failure on clearFaults', async () => {
    const sim = createQueueSimulator({ now: manualClock().now });
    const { ticket } = (await (await join(sim)).json()) as JoinResponse;
    sim.failNext(3, { kind: 'network' });
    sim.setFailureRate(1);
    sim.rejectTickets('token_expired');
    sim.setOffline(true);
    sim.clearFaults();
    expect((await joinOk(sim, ticket)).ticket).to.equal(ticket);
  });
});
