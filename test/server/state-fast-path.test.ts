import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startQueueServer } from '../../src/server/node-server.js';
import type { RunningQueueServer } from '../../src/server/node-server.js';
import { PreparedStates, type PreparedState } from '../../src/server/state-fast-path.js';
import { STATE_CACHE_CONTROL } from '../../src/server/routes/state.js';
import { postJson } from './helpers/test-server.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('state answered from the prepared answer (unit)', () => {
  const prepared: PreparedState = {
    body: new TextEncoder().encode('{"issued":1}'),
    etag: 'W/"a"',
    ok: { ETag: 'W/"a"', 'Cache-Control': STATE_CACHE_CONTROL },
    notModified: { ETag: 'W/"a"', 'Cache-Control': STATE_CACHE_CONTROL },
  };
  const fakeResponse = () => {
    const sent: { status?: number; headers?: object; body?: unknown } = {};
    const response = {
      writeHead: (status: number, headers: object) => Object.assign(sent, { status, headers }),
      end: (body?: unknown) => Object.assign(sent, { body }),
    } as unknown as ServerResponse;
    return { sent, response };
  };
  const request = (url: string, method = 'GET', headers: Record<string, string> = {}) =>
    ({ url, method, headers }) as unknown as IncomingMessage;

  it('answers the exact path, 304 on a matching ETag, and forgets it at the next turn', async () => {
    const states = new PreparedStates();
    states.record('/rooms/demo/state', prepared);
    const ok = fakeResponse();
    assert.equal(states.answer(request('/rooms/demo/state'), ok.response), true);
    assert.equal(ok.sent.status, 200);
    assert.equal(ok.sent.body, prepared.body);
    const notModified = fakeResponse();
    const revalidate = request('/rooms/demo/state', 'GET', { 'if-none-match': '"x", "a"' });
    assert.equal(states.answer(revalidate, notModified.response), true);
    assert.equal(notModified.sent.status, 304);
    assert.equal(notModified.sent.body, undefined);
    for (const other of [
      request('/rooms/demo/state?x=1'),
      request('/rooms/other/state'),
      request('/rooms/demo/state', 'HEAD'),
    ]) {
      assert.equal(states.answer(other, fakeResponse().response), false);
    }
    await nextTurn();
    assert.equal(states.answer(request('/rooms/demo/state'), fakeResponse().response), false);
  });
});

describe('state answered from the prepared answer (real HTTP)', () => {
  let server: RunningQueueServer;
  before(async () => {
    server = await startQueueServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: null,
      tickIntervalMs: 0,
      staticRoot: null,
      adminToken: 'f'.repeat(32),
      rooms: { demo: { admitPerMinute: 0 } },
    });
  });
  after(() => server.close());

  const state = (headers: Record<string, string> = {}) =>
    fetch(`${server.url}/rooms/demo/state`, { headers });

  it('sends the same bytes and headers to a burst, and 304 on a matching ETag', async () => {
    const first = await state();
    const body = await first.text();
    const etag = first.headers.get('etag')!;
    const burst = await Promise.all(Array.from({ length: 40 }, () => state()));
    for (const answer of burst) {
      assert.equal(answer.status, 200);
      assert.equal(await answer.text(), body);
      assert.equal(answer.headers.get('etag'), etag);
      assert.equal(answer.headers.get('cache-control'), STATE_CACHE_CONTROL);
      assert.equal(answer.headers.get('access-control-allow-origin'), '*');
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    }
    const revalidated = await Promise.all(
      Array.from({ length: 40 }, () => state({ 'If-None-Match': etag })),
    );
    for (const answer of revalidated) {
      assert.equal(answer.status, 304);
      assert.equal(answer.headers.get('etag'), etag);
      assert.equal(answer.headers.get('cache-control'), STATE_CACHE_CONTROL);
    }
  });

  it('shows a join in the next answer', async () => {
    const before = (await (await state()).json()) as { issued: number };
    const joined = await postJson(`${server.url}/rooms/demo/join`, {});
    assert.equal(joined.status, 200);
    const after = (await (await state()).json()) as { issued: number };
    assert.equal(after.issued, before.issued + 1);
  });
});
