import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe("CORS from each room's allowedOrigins", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      rooms: {
        shop: { allowedOrigins: ['https://shop.example'] },
        open: { allowedOrigins: ['*'] },
      },
    });
  });
  after(() => server.close());

  const preflight = (room: string, origin: string, path = 'join') =>
    fetch(`${server.url}/rooms/${room}/${path}`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

  it('answers a preflight from an allowed origin', async () => {
    const answer = await preflight('shop', 'https://shop.example');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(answer.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(answer.headers.get('vary') ?? '', /Origin/);
  });

  it('refuses a preflight and a request from another origin with 403 origin_not_allowed', async () => {
    const answer = await preflight('shop', 'https://evil.example');
    assert.equal(answer.status, 403);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    const direct = await fetch(`${server.url}/rooms/shop/join`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(direct.status, 403);
    assert.equal((await direct.json()).error.code, 'origin_not_allowed');
  });

  it('adds the allowed origin to answers, errors included', async () => {
    const ok = await fetch(`${server.url}/rooms/shop/join`, {
      method: 'POST',
      headers: { Origin: 'https://shop.example', 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
    const refused = await fetch(`${server.url}/rooms/shop/admit`, {
      method: 'POST',
      headers: { Origin: 'https://shop.example' },
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://shop.example');
  });

  it('lets any origin read the public state', async () => {
    const answer = await fetch(`${server.url}/rooms/shop/state`, {
      headers: { Origin: 'https://elsewhere.example' },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.match(answer.headers.get('access-control-expose-headers') ?? '', /ETag/);
  });

  it('allows every origin for a room that lists "*"', async () => {
    const answer = await preflight('open', 'https://anyone.example');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://anyone.example');
  });

  it("always allows the server's own origin", async () => {
    const answer = await fetch(`${server.url}/rooms/shop/join`, {
      method: 'POST',
      headers: { Origin: server.origin, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(answer.status, 200);
  });
});
