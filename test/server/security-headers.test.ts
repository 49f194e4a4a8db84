import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_CSP, PAGE_CSP } from '../../src/server/security-headers.js';
import { startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const html = new TextEncoder().encode('<!doctype html><title>demo</title>');

describe('security and CORS headers built into every answer', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      assets: {
        read: async (path) =>
          path === '/' ? { body: html, contentType: 'text/html; charset=utf-8' } : null,
      },
    });
  });
  after(() => server.close());

  const assertSecured = (answer: Response, csp: string) => {
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('x-frame-options'), 'DENY');
    assert.equal(answer.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
    assert.equal(answer.headers.get('content-security-policy'), csp);
  };

  it('sends state with Access-Control-Allow-Origin * even to a request without Origin', async () => {
    const answer = await fetch(`${server.url}/rooms/demo/state`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.match(answer.headers.get('access-control-expose-headers') ?? '', /ETag/);
    assertSecured(answer, API_CSP);
    const etag = answer.headers.get('etag') ?? '';
    const revalidated = await fetch(`${server.url}/rooms/demo/state`, {
      headers: { 'If-None-Match': etag },
    });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.get('access-control-allow-origin'), '*');
    assertSecured(revalidated, API_CSP);
  });

  it('lets a browser on any site read a state error', async () => {
    const answer = await fetch(`${server.url}/rooms/no-such-room/state`, {
      headers: { Origin: 'https://elsewhere.example' },
    });
    assert.equal(answer.status, 404);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assertSecured(answer, API_CSP);
  });

  it('secures join answers, errors, preflights and unknown paths with the API policy', async () => {
    const joined = await fetch(`${server.url}/rooms/demo/join`, { method: 'POST' });
    assert.equal(joined.status, 200);
    assertSecured(joined, API_CSP);
    const refused = await fetch(`${server.url}/rooms/demo/admit`, { method: 'POST' });
    assert.equal(refused.status, 401);
    assertSecured(refused, API_CSP);
    const preflight = await fetch(`${server.url}/rooms/demo/join`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assertSecured(preflight, API_CSP);
    const missing = await fetch(`${server.url}/nothing-here`);
    assert.equal(missing.status, 404);
    assertSecured(missing, API_CSP);
  });

  it('gives pages the page policy', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assertSecured(page, PAGE_CSP);
  });

  it('adds the CORS headers of an allowed origin to a join answer without dropping the others', async () => {
    const joined = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { Origin: server.origin },
    });
    assert.equal(joined.status, 200);
    assert.equal(joined.headers.get('access-control-allow-origin'), server.origin);
    assert.match(joined.headers.get('vary') ?? '', /Origin/);
    assert.equal(joined.headers.get('cache-control'), 'no-store');
    assertSecured(joined, API_CSP);
  });
});
