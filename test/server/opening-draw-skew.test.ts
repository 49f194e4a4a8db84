import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { decodeJwt } from 'jose';
import { createQueueApp } from '../../src/server/app.js';
import { createQueueService } from '../../src/server/queue-service.js';
import { createTokenSigner } from '../../src/server/token-signer.js';
import { ADMIN_TOKEN, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

/**
 * A second process on the same store whose clock runs behind: it still believes the room is
 * about to open when the first process has already run the draw.
 */
async function lateProcess(first: TestServer, behindMs: number) {
  const now = () => first.clock.now() - behindMs;
  const signer = await createTokenSigner({
    issuer: first.origin,
    now,
    keys: first.signer.exportKeys(),
  });
  const service = createQueueService({
    store: first.store,
    signer,
    publicOrigin: first.origin,
    now,
  });
  const app = createQueueApp({ service, adminToken: ADMIN_TOKEN, logError: () => {} });
  const server = serve({ fetch: (request) => app.fetch(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((ready) => server.once('listening', () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

describe('the draw with two processes whose clocks disagree', () => {
  let first: TestServer;
  let late: Awaited<ReturnType<typeof lateProcess>>;
  let opensAt: number;

  before(async () => {
    first = await startTestServer({ rooms: {} });
    opensAt = first.clock.now() + 60_000;
    await adminCall(first, 'PUT', 'launch', { admitPerMinute: 0, opensAt });
    late = await lateProcess(first, 10_000);
  });
  after(async () => {
    await late.close();
    await first.close();
  });

  it('puts a visitor who reaches the late process after the draw behind the draw, not into it', async () => {
    const viaLate = (ticket?: string) =>
      join({ ...first, url: late.url } as TestServer, 'launch', ticket);
    // Both processes take pre-open registrations (the late one caches that the draw is open).
    assert.equal((await viaLate()).json.pre, true);
    assert.equal((await join(first, 'launch')).json.pre, true);

    first.clock.advance(65_000); // the first process: opened; the late one: 5 s before opening
    await first.service.tick(); // runs the draw
    const drawn = (await (await fetch(`${first.url}/rooms/launch/fairness`)).json()).draw;
    assert.equal(drawn.entrants.length, 2);

    const straggler = await viaLate();
    assert.equal(straggler.status, 200);
    assert.equal(straggler.json.pre, undefined, 'no pre-open ticket after the draw ran');
    assert.equal(straggler.json.seq, 3, 'behind both drawn places');
    assert.equal(decodeJwt(straggler.json.ticket).pre, undefined);
  });
});
