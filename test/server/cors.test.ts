import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON read by the assertions
type Json = Record<string, any>;

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

  const postFrom = (room: string, path: string, origin: string | null) =>
    fetch(`${server.url}/rooms/${room}/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
      body: '{}',
    });

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

  it('answers the preflight of another origin, then refuses its request readably', async () => {
    const answer = await preflight('shop', 'https://evil.example');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://evil.example');
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
    const refused = await postFrom('shop', 'join', 'https://evil.example');
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://evil.example');
    assert.equal(refused.headers.get('access-control-allow-credentials'), null);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.match(refused.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    assert.match(refused.headers.get('vary') ?? '', /Origin/);
    assert.deepEqual(Object.keys((await refused.json()) as object), ['error']);
  });

  it('hands no place and no admission to a refused origin', async () => {
    const before = (await (await fetch(`${server.url}/rooms/shop/state`)).json()) as Json;
    const refused = await postFrom('shop', 'join', 'https://evil.example');
    assert.equal(((await refused.json()) as Json).error.code, 'origin_not_allowed');
    const after = (await (await fetch(`${server.url}/rooms/shop/state`)).json()) as Json;
    assert.equal(after.issued, before.issued, 'no place was taken');
    // A ticket got elsewhere (no Origin: not a browser) does not unlock admit for that origin.
    const joined = (await (await postFrom('shop', 'join', null)).json()) as Json;
    await server.service.tick();
    const claim = await fetch(`${server.url}/rooms/shop/admit`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', Authorization: `Bearer ${joined.ticket}` },
    });
    assert.equal(claim.status, 403);
    const body = (await claim.json()) as Json;
    assert.equal(body.error.code, 'origin_not_allowed');
    assert.equal(body.admission, undefined);
  });

  it('lets any page read that a room does not exist, preflight included', async () => {
    const answer = await preflight('nowhere', 'https://shop.example');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://shop.example');
    const missing = await postFrom('nowhere', 'join', 'https://shop.example');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.equal(((await missing.json()) as Json).error.code, 'room_not_found');
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
