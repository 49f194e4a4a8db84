import { expect } from '@open-wc/testing';
import type { SetupWorker } from 'msw/browser';
import { startMockWorker } from '../../src/mocks/browser.js';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import type { AdmitResponse, JoinResponse, StateResponse } from '../../src/protocol.js';

const BASE = 'https://queue.example.com';

describe('startMockWorker (real service worker, real fetch)', () => {
  const sim = createQueueSimulator({ serving: 10, issued: 12 });
  let worker: SetupWorker;

  before(async () => {
    worker = await startMockWorker(sim, { baseUrl: BASE, quiet: true });
  });

  after(() => {
    worker.stop();
  });

  beforeEach(async () => {
    await sim.reset();
  });

  it('answers a join, the state and an admission through the page fetch', async () => {
    const joinResponse = await fetch(`${BASE}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(joinResponse.status).to.equal(200);
    const joined = (await joinResponse.json()) as JoinResponse;
    expect(joined).to.include({ seq: 13, serving: 10, position: 3 });

    const stateResponse = await fetch(`${BASE}/rooms/demo/state`);
    expect(stateResponse.headers.get('ETag')).to.be.a('string');
    expect(((await stateResponse.json()) as StateResponse).issued).to.equal(13);

    sim.advance(3);
    const admitResponse = await fetch(`${BASE}/rooms/demo/admit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${joined.ticket}` },
    });
    expect(admitResponse.status).to.equal(200);
    expect(((await admitResponse.json()) as AdmitResponse).admission.split('.')).to.have.length(3);
    expect(sim.requests.map((r) => r.path)).to.deep.equal([
      '/rooms/demo/join',
      '/rooms/demo/state',
      '/rooms/demo/admit',
    ]);
  });

  it('makes the page fetch reject while the simulator is offline', async () => {
    sim.setOffline(true);
    let error: unknown;
    try {
      await fetch(`${BASE}/rooms/demo/state`);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(TypeError);
    sim.setOffline(false);
    expect((await fetch(`${BASE}/rooms/demo/state`)).status).to.equal(200);
  });

  it('delivers a 503 with Retry-After to the page', async () => {
    sim.failNext(1, { kind: 'status', status: 503, retryAfterSeconds: 9 });
    const response = await fetch(`${BASE}/rooms/demo/state`);
    expect(response.status).to.equal(503);
    expect(response.headers.get('Retry-After')).to.equal('9');
    expect(await response.json()).to.deep.include({
      error: { code: 'overloaded', message: 'Simulated HTTP 503.' },
    });
  });
});
