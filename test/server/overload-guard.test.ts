/**
 * The overload guard sheds work past `maxInFlight`, and only work: a request waiting for its
 * client's body is not counted (a few thousand slow bodies from one address once made the
 * server answer 503 to everyone).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { ApiError, apiErrorResponse } from '../../src/server/api-error.js';
import type { QueueAppEnv } from '../../src/server/app-env.js';
import { overloadGuard } from '../../src/server/overload-guard.js';
import { readRequestJson } from '../../src/server/request-body.js';
import { ADMIN_TOKEN, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

/** Starts a POST whose body is `{` until `finish()` sends the rest; resolves with its status. */
function slowPost(url: string, path: string): { finish: () => void; status: Promise<number> } {
  const { port } = new URL(url);
  let finish!: () => void;
  const status = new Promise<number>((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    req.on('error', fail);
    req.write('{');
    finish = () => req.end('}');
  });
  return { finish, status };
}

/** Lets the server take in what was sent (a few event-loop turns, not a timing assertion). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('overload guard in the queue app', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxInFlight: 1 });
  });
  after(() => server.close());

  it('does not count a join whose body is still arriving', async () => {
    const slow = slowPost(server.url, '/rooms/demo/join');
    await settle();
    const state = await fetch(`${server.url}/rooms/demo/state`);
    assert.equal(state.status, 200, 'the only slot is free while the join waits for its body');
    await state.arrayBuffer();
    slow.finish();
    assert.equal(await slow.status, 200);
  });
});

describe('overload guard on work in progress', () => {
  let url: string;
  let close: () => Promise<void>;
  let release: () => void = () => {};
  before(async () => {
    const app = new Hono<QueueAppEnv>();
    app.use('*', overloadGuard({ maxInFlight: 1 }));
    app.get('/work', async (c) => {
      await new Promise<void>((done) => (release = done));
      return c.text('done');
    });
    app.get('/quick', (c) => c.text('quick'));
    app.post('/body', async (c) => c.json(await readRequestJson(c)));
    app.onError((error) =>
      error instanceof ApiError ? apiErrorResponse(error) : new Response(null, { status: 500 }),
    );
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((ready) => server.once('listening', () => ready()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
  });
  after(() => close());

  it('answers 503 overloaded with Retry-After past maxInFlight, and serves again after', async () => {
    const working = fetch(`${url}/work`);
    await settle();
    const shed = await fetch(`${url}/quick`);
    assert.equal(shed.status, 503);
    assert.equal(shed.headers.get('retry-after'), '2');
    assert.equal(((await shed.json()) as { error: { code: string } }).error.code, 'overloaded');
    release();
    assert.equal((await working).status, 200);
    assert.equal((await fetch(`${url}/quick`)).status, 200);
  });

  it('sheds a request whose body arrived while the server filled up, once it is read', async () => {
    const slow = slowPost(url, '/body');
    await settle();
    const working = fetch(`${url}/work`);
    await settle();
    slow.finish();
    assert.equal(await slow.status, 503, 'no room for its work when its body came in');
    release();
    assert.equal((await working).status, 200);
    const again = slowPost(url, '/body');
    again.finish();
    assert.equal(await again.status, 200);
  });
});

describe('overload guard and the operator', () => {
  // maxInFlight 0: every request that is not exempt is shed, so each answer below says
  // whether the guard let it through.
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxInFlight: 0 });
  });
  after(() => server.close());

  const call = (method: string, path: string, authorization?: string) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });

  it('never sheds the admin pausing a flooded room, nor reading it', async () => {
    assert.equal((await call('GET', '/rooms/demo/state')).status, 503, 'visitors are shed');
    const pause = await call('POST', '/admin/rooms/demo/pause', `Bearer ${ADMIN_TOKEN}`);
    assert.equal(pause.status, 200);
    const room = await call('GET', '/admin/rooms/demo', `Bearer ${ADMIN_TOKEN}`);
    assert.equal(((await room.json()) as { status: string }).status, 'paused');
  });

  it('sheds everyone else on admin paths, and the admin token on other paths', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Bearer ${'x'.repeat(ADMIN_TOKEN.length)}`,
      `Basic ${ADMIN_TOKEN}`,
    ]) {
      const answer = await call('POST', '/admin/rooms/demo/resume', authorization);
      assert.equal(answer.status, 503, String(authorization));
    }
    const state = await call('GET', '/rooms/demo/state', `Bearer ${ADMIN_TOKEN}`);
    assert.equal(state.status, 503, 'the token exempts admin requests only');
  });
});
