import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol.js';
import { admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('input validation over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const expectError = async (response: Response, status: number, code: string) => {
    assert.equal(response.status, status);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = await response.json();
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, 'string');
  };

  it('answers 400 invalid_room_id for a malformed room id', async () => {
    await expectError(await fetch(`${server.url}/rooms/-bad/state`), 400, 'invalid_room_id');
    await expectError(
      await fetch(`${server.url}/rooms/${'a'.repeat(65)}/join`, { method: 'POST' }),
      400,
      'invalid_room_id',
    );
  });

  it('answers 404 room_not_found for an unknown room', async () => {
    await expectError(await fetch(`${server.url}/rooms/nowhere/state`), 404, 'room_not_found');
  });

  it('answers 400 invalid_body for bad JSON and a non-string ticket', async () => {
    const bad = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"ticket":',
    });
    await expectError(bad, 400, 'invalid_body');
    const wrongType = await postJson(`${server.url}/rooms/demo/join`, { ticket: 42 });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.json.error.code, 'invalid_body');
  });

  it('answers 413 body_too_large above LIMITS.maxBodyBytes, even without Content-Length', async () => {
    const big = JSON.stringify({ ticket: 'x'.repeat(LIMITS.maxBodyBytes) });
    const declared = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big,
    });
    await expectError(declared, 413, 'body_too_large');
    const chunked = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    await expectError(chunked, 413, 'body_too_large');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const form = await fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'ticket=x',
    });
    await expectError(form, 415, 'unsupported_media_type');
  });

  it('answers 401 with the token code for garbage and oversized tickets', async () => {
    const garbage = await join(server, 'demo', 'not-a-token');
    assert.equal(garbage.status, 401);
    assert.equal(garbage.json.error.code, 'token_malformed');
    const huge = await admit(server, 'a'.repeat(LIMITS.maxTokenLength + 1));
    assert.equal(huge.status, 401);
    assert.equal(huge.json.error.code, 'token_too_large');
  });

  it('answers JSON 404 for unknown paths and 405 for wrong methods', async () => {
    await expectError(await fetch(`${server.url}/api/nothing`), 404, 'not_found');
    const wrongMethod = await fetch(`${server.url}/rooms/demo/join`);
    assert.equal(wrongMethod.headers.get('allow'), 'POST, OPTIONS');
    await expectError(wrongMethod, 405, 'method_not_allowed');
    for (const [method, path, allow] of [
      ['DELETE', '/rooms/demo/state', 'GET, HEAD, OPTIONS'],
      ['GET', '/rooms/demo/admit', 'POST, OPTIONS'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['POST', '/.well-known/jwks.json', 'GET, HEAD'],
    ] as const) {
      const answer = await fetch(`${server.url}${path}`, { method });
      assert.equal(answer.headers.get('allow'), allow, `${method} ${path}`);
      await expectError(answer, 405, 'method_not_allowed');
    }
  });

  it('counts refusals by code', async () => {
    await fetch(`${server.url}/rooms/demo/admit`, { method: 'POST' });
    const counters = await server.store.readCounters();
    const missing = counters.find((c) => c.name === 'rejections' && c.code === 'token_missing');
    assert.equal(missing?.room, 'demo');
    assert.ok((missing?.value ?? 0) >= 1);
  });

  it('never labels metrics with rooms that do not exist', async () => {
    await fetch(`${server.url}/rooms/made-up-by-attacker/state`);
    const counters = await server.store.readCounters();
    assert.ok(!counters.some((c) => c.room === 'made-up-by-attacker'));
  });

  it('answers every raw request with a JSON error even for an encoded path', async () => {
    const { port } = new URL(server.url);
    const status = await new Promise<number>((done, fail) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/rooms/%2e%2e%2fadmin/state', method: 'GET' },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    assert.ok(status === 400 || status === 404, `status ${status}`);
  });
});
