import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('admin API over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers 401 without a token, with a wrong token, and with a token of another length', async () => {
    const missing = await fetch(`${server.url}/admin/rooms/demo`);
    assert.equal(missing.status, 401);
    assert.equal((await missing.json()).error.code, 'unauthorized');
    for (const token of [
      'test-admin-token-0123456788',
      'x',
      'test-admin-token-0123456789-and-more',
    ]) {
      const wrong = await adminCall(server, 'GET', 'demo', undefined, token);
      assert.equal(wrong.status, 401);
      const text = await wrong.text();
      assert.ok(!text.includes(token), 'the given token is never echoed');
    }
  });

  it('creates a room with 201, updates it with 200 and reports config and live stats', async () => {
    const created = await adminCall(server, 'PUT', 'launch', {
      admitPerMinute: 120,
      maxActive: 50,
      holdSeconds: 600,
      audience: 'https://tickets.example',
      allowedOrigins: ['https://shop.example'],
      opensAt: '2026-01-01T10:00:00Z',
    });
    assert.equal(created.status, 201);
    const updated = await adminCall(server, 'PUT', 'launch', { admitPerMinute: 60 });
    assert.equal(updated.status, 200);
    await join(server, 'launch');
    const stats = await (await adminCall(server, 'GET', 'launch')).json();
    assert.equal(stats.config.admitPerMinute, 60);
    assert.equal(stats.config.maxActive, 50);
    assert.equal(stats.config.opensAt, Date.parse('2026-01-01T10:00:00Z'));
    assert.equal(stats.effectiveAudience, 'https://tickets.example');
    // The room opens later: the visitor holds a pre-open ticket for the draw, not a seq yet.
    assert.equal(stats.preOpen, 1);
    assert.equal(stats.issued, 0);
    assert.equal(stats.waiting, 0);
    assert.equal(stats.status, 'open');
  });

  it('defaults the audience to the public origin', async () => {
    await adminCall(server, 'PUT', 'plain', {});
    const stats = await (await adminCall(server, 'GET', 'plain')).json();
    assert.equal(stats.config.audience, null);
    assert.equal(stats.effectiveAudience, server.origin);
  });

  it('refuses invalid settings with 400 invalid_body', async () => {
    for (const body of [
      { admitPerMinute: -1 },
      { holdSeconds: 1.5 },
      { allowedOrigins: ['https://shop.example/path'] },
      { opensAt: 'soon' },
      { admitPerMinut: 5 },
    ]) {
      const answer = await adminCall(server, 'PUT', 'plain', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal((await answer.json()).error.code, 'invalid_body');
    }
  });

  it('refuses an opening time no Date can show, and keeps the room as it was', async () => {
    await adminCall(server, 'PUT', 'far', { opensAt: 1_000 });
    for (const body of [
      { opensAt: 1e300 },
      { opensAt: 8.64e15 + 1 },
      { cohorts: [{ id: 'a', opensAt: 1e300 }] },
      { cohorts: [{ id: 'a', opensAt: 0, closesAt: 1e20 }] },
    ]) {
      const answer = await adminCall(server, 'PUT', 'far', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal((await answer.json()).error.code, 'invalid_body');
    }
    const stats = await (await adminCall(server, 'GET', 'far')).json();
    assert.equal(stats.config.opensAt, 1_000);
    assert.deepEqual(stats.config.cohorts, []);
  });

  it('accepts the largest settings the validation allows: 100 cohorts and 50 long origins', async () => {
    const cohorts = Array.from({ length: 100 }, (_, i) => ({
      id: `cohort-${String(i).padStart(25, '0')}`,
      opensAt: '2026-01-01T10:00:00.000Z',
      closesAt: '2026-01-01T11:00:00.000Z',
    }));
    const label = (letter: string) => letter.repeat(60);
    const allowedOrigins = Array.from(
      { length: 50 },
      (_, i) => `https://${label('a')}.${label('b')}.${label('c')}.shop${i}.example`,
    );
    assert.ok(JSON.stringify({ cohorts, allowedOrigins }).length > 8192);
    const answer = await adminCall(server, 'PUT', 'big', { cohorts, allowedOrigins });
    assert.equal(answer.status, 201);
    const stats = await answer.json();
    assert.equal(stats.config.cohorts.length, 100);
    assert.equal(stats.config.allowedOrigins.length, 50);
    const tooBig = await adminCall(server, 'PUT', 'big', { audience: 'x'.repeat(70_000) });
    assert.equal(tooBig.status, 413);
  });

  it('advances serving by N, and pause/resume/close change the status visitors see', async () => {
    await adminCall(server, 'PUT', 'moves', { admitPerMinute: 600 });
    for (let i = 0; i < 5; i += 1) await join(server, 'moves');
    const advanced = await (await adminCall(server, 'POST', 'moves/advance', { by: 3 })).json();
    assert.equal(advanced.serving, 3);

    assert.equal((await adminCall(server, 'POST', 'moves/pause')).status, 200);
    server.clock.advance(10_000);
    await server.service.tick();
    const paused = await (await fetch(`${server.url}/rooms/moves/state`)).json();
    assert.equal(paused.status, 'paused');
    assert.equal(paused.serving, 3, 'a paused room does not move by itself');

    await adminCall(server, 'POST', 'moves/resume');
    server.clock.advance(1000);
    await server.service.tick();
    const resumed = await (await fetch(`${server.url}/rooms/moves/state`)).json();
    assert.equal(resumed.status, 'open');
    assert.equal(resumed.serving, 5);

    await adminCall(server, 'POST', 'moves/close');
    const closedJoin = await join(server, 'moves');
    assert.equal(closedJoin.status, 403);
    assert.equal(closedJoin.json.error.code, 'room_closed');
  });

  it('keeps admitPerMinute 0 still until an advance', async () => {
    await adminCall(server, 'PUT', 'manual', { admitPerMinute: 0 });
    await join(server, 'manual');
    server.clock.advance(60_000);
    await server.service.tick();
    assert.equal((await (await adminCall(server, 'GET', 'manual')).json()).serving, 0);
    await adminCall(server, 'POST', 'manual/advance', { by: 1 });
    assert.equal((await (await adminCall(server, 'GET', 'manual')).json()).serving, 1);
  });

  it('answers a wrong method on an admin path with 405 and the methods the path has', async () => {
    const cases: Array<[method: string, path: string, allow: string]> = [
      ['GET', 'demo/advance', 'POST'],
      ['PUT', 'demo/pause', 'POST'],
      ['DELETE', 'demo/resume', 'POST'],
      ['GET', 'demo/close', 'POST'],
      ['DELETE', 'demo', 'GET, PUT'],
      ['POST', 'demo', 'GET, PUT'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await adminCall(server, method, path);
      assert.equal(answer.status, 405, `${method} ${path}`);
      assert.equal(answer.headers.get('allow'), allow, `${method} ${path}`);
      assert.equal((await answer.json()).error.code, 'method_not_allowed');
    }
  });

  it('checks the token before the method: a probe without it gets the same 401 everywhere', async () => {
    const refusals = new Set<string>();
    for (const [method, path] of [
      ['GET', 'demo/advance'],
      ['DELETE', 'demo'],
      ['POST', 'demo/advance'],
      ['GET', 'demo'],
      ['GET', 'demo/nothing-here'],
    ] as const) {
      const answer = await fetch(`${server.url}/admin/rooms/${path}`, { method });
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(answer.headers.get('allow'), null);
      refusals.add(await answer.text());
    }
    assert.equal(refusals.size, 1, 'one and the same refusal');
  });

  it('refuses a bad advance and unknown rooms', async () => {
    const bad = await adminCall(server, 'POST', 'demo/advance', { by: 0 });
    assert.equal(bad.status, 400);
    const unknown = await adminCall(server, 'POST', 'nope/pause');
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, 'room_not_found');
  });
});
