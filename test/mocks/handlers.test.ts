import { expect } from '@open-wc/testing';
import { getResponse } from 'msw';
import { createHandlers } from '../../src/mocks/handlers.js';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import type { JoinResponse } from '../../src/protocol.js';

describe('createHandlers', () => {
  it('routes the protocol endpoints under the base URL to the simulator', async () => {
    const sim = createQueueSimulator({ serving: 2, issued: 5 });
    const handlers = createHandlers(sim, { baseUrl: 'https://queue.example.com/api/' });
    const joined = await getResponse(
      handlers,
      new Request('https://queue.example.com/api/rooms/demo/join', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      }),
    );
    expect(joined?.status).to.equal(200);
    expect(((await joined?.json()) as JoinResponse).seq).to.equal(6);
    const jwks = await getResponse(
      handlers,
      new Request('https://queue.example.com/api/.well-known/jwks.json'),
    );
    // The real server's key set: the key the simulator made on the spot.
    expect(((await jwks?.json()) as { keys: unknown[] }).keys).to.have.length.at.least(1);
  });

  it('leaves requests outside the base URL alone', async () => {
    const sim = createQueueSimulator();
    const handlers = createHandlers(sim, { baseUrl: 'https://queue.example.com' });
    const elsewhere = await getResponse(
      handlers,
      new Request('https://booking.example.com/rooms/demo/state'),
    );
    expect(elsewhere).to.equal(undefined);
    expect(sim.requests).to.have.length(0);
  });

  it('matches any origin and base path by default', async () => {
    const sim = createQueueSimulator();
    const handlers = createHandlers(sim);
    const response = await getResponse(
      handlers,
      new Request('http://localhost:9999/deep/base/rooms/demo/state'),
    );
    expect(response?.status).to.equal(200);
  });

  it('turns a simulated network failure into an MSW network error', async () => {
    const sim = createQueueSimulator();
    sim.setOffline(true);
    const response = await getResponse(
      createHandlers(sim),
      new Request('https://queue.example.com/rooms/demo/state'),
    );
    expect(response?.type).to.equal('error');
  });

  it('passes status faults through with their headers', async () => {
    const sim = createQueueSimulator();
    sim.failNext(1, { kind: 'status', status: 503, retryAfterSeconds: 12 });
    const response = await getResponse(
      createHandlers(sim),
      new Request('https://queue.example.com/rooms/demo/state'),
    );
    expect(response?.status).to.equal(503);
    expect(response?.headers.get('Retry-After')).to.equal('12');
  });
});
