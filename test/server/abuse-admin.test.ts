/**
 * The admin API against guessing and leaks: every bearer goes through the constant-time
 * comparison, wrong tokens of any length get byte-identical refusals, and no secret (the admin
 * token, a ticket, an admission) ever shows up in an error body or in the server's output.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { adminAuth, compareAdminToken } from '../../src/server/admin-auth.js';
import { ApiError, apiErrorResponse } from '../../src/server/api-error.js';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';
import { ADMIN_TOKEN, adminCall, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('admin bearer comparison', () => {
  it("compares with hono's timingSafeEqual, which hashes both sides before comparing", () => {
    assert.equal(compareAdminToken, timingSafeEqual);
  });

  it('sends every request through the comparison, with or without a bearer', async () => {
    const calls: Array<[string, string]> = [];
    const token = 'spy-admin-token-0123456789';
    const app = new Hono();
    app.use(
      '*',
      adminAuth(token, {
        compare: async (given, expected) => {
          calls.push([given, expected]);
          return timingSafeEqual(given, expected);
        },
      }),
    );
    app.get('/', (c) => c.text('in'));
    app.onError((error) =>
      error instanceof ApiError ? apiErrorResponse(error) : new Response(null, { status: 500 }),
    );
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((ready) => server.once('listening', () => ready()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const statuses = [];
      for (const authorization of [
        undefined,
        'Basic abc',
        'Bearer short',
        `Bearer ${'x'.repeat(token.length)}`,
        `Bearer ${token}`,
      ]) {
        const response = await fetch(url, authorization ? { headers: { authorization } } : {});
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 200]);
      assert.deepEqual(
        calls.map(([given]) => given),
        ['', '', 'short', 'x'.repeat(token.length), token],
      );
      assert.ok(calls.every(([, expected]) => expected === token));
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});

describe('admin refusals over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const refusal = async (token: string | null) => {
    const response = await fetch(`${server.url}/admin/rooms/demo`, {
      headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    });
    const headers = [...response.headers].filter(([name]) => name !== 'date');
    return { status: response.status, headers, body: await response.text() };
  };

  it('answers wrong tokens of the right length, another length and none byte for byte alike', async () => {
    const sameLength = `${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('x') ? 'y' : 'x'}`;
    const answers = await Promise.all(
      [sameLength, 'short', ADMIN_TOKEN.repeat(3), ADMIN_TOKEN.slice(1), null].map(refusal),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 401);
      assert.deepEqual(answer, answers[0]);
      assert.ok(!answer.body.includes(ADMIN_TOKEN.slice(0, 8)), 'never echoes any part of it');
    }
    assert.equal((await adminCall(server, 'GET', 'demo')).status, 200);
  });
});

describe('secrets in error bodies and in the server output', () => {
  const adminToken = 'leak-check-admin-token-7f3a9c1e';
  let child: ChildServer;
  before(async () => {
    child = await startChildServer({
      QUEUE_GATE_ADMIN_TOKEN: adminToken,
      QUEUE_GATE_DATA_DIR: `/tmp/queue-gate-leak-${process.pid}`,
    });
  });
  after(async () => {
    child.child.kill('SIGKILL');
    await child.exited;
    const { rm } = await import('node:fs/promises');
    await rm(`/tmp/queue-gate-leak-${process.pid}`, { recursive: true, force: true });
  });

  it('never puts the admin token, a ticket or an admission in an answer or a log line', async () => {
    const bodies: string[] = [];
    const send = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${child.url}${path}`, init);
      const text = await response.text();
      bodies.push(text);
      return { status: response.status, text };
    };
    const json = (body: unknown, bearer?: string): RequestInit => ({
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    });
    const admin = (method: string, path: string, token: string, body?: unknown) =>
      send(`/admin/rooms/${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    assert.equal((await admin('PUT', 'leak', adminToken, { admitPerMinute: 0 })).status, 201);
    const visitor = JSON.parse((await send('/rooms/leak/join', json({}))).text);
    await admin('POST', 'leak/advance', adminToken, { by: 1 });
    const admission = JSON.parse(
      (
        await send('/rooms/leak/admit', {
          method: 'POST',
          headers: { Authorization: `Bearer ${visitor.ticket}` },
        })
      ).text,
    ).admission as string;
    bodies.length = 0;

    // Wrong and misplaced secrets everywhere a request can carry them.
    await admin('GET', 'leak', `${adminToken.slice(0, -1)}0`);
    await admin('PUT', 'leak', adminToken, { admitPerMinute: adminToken });
    await admin('PUT', 'leak', adminToken, { [adminToken]: 1 });
    await admin('POST', 'leak/advance', adminToken, { by: adminToken });
    await send('/rooms/leak/admit', {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    await send('/rooms/leak/join', json({ ticket: adminToken }));
    await send('/rooms/leak/join', json({ ticket: admission }));
    await send('/rooms/demo/join', json({ ticket: visitor.ticket }));
    await send('/rooms/leak/join', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"ticket":"${visitor.ticket}"`,
    });
    await send('/rooms/demo/admit', {
      method: 'POST',
      headers: { Authorization: `Bearer ${visitor.ticket}` },
    });
    await send('/demo/book?room=leak', {
      method: 'POST',
      headers: { Authorization: `Bearer ${visitor.ticket}` },
    });
    await send('/demo/book?room=demo', {
      method: 'POST',
      headers: { Authorization: `Bearer ${admission}` },
    });
    assert.equal(
      (
        await send('/demo/book?room=leak', {
          method: 'POST',
          headers: { Authorization: `Bearer ${admission}` },
        })
      ).status,
      200,
    );
    await send('/demo/book?room=leak', {
      method: 'POST',
      headers: { Authorization: `Bearer ${admission}` },
    });
    await send(`/rooms/leak/state?t=${encodeURIComponent(adminToken)}`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    await send('/metrics');

    assert.ok(bodies.length >= 15);
    const secrets = { adminToken, ticket: visitor.ticket as string, admission };
    for (const body of bodies) {
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(!body.includes(secret), `an answer carried the ${name}: ${body.slice(0, 200)}`);
        assert.ok(
          !body.includes(secret.split('.').pop()!),
          `an answer carried part of the ${name}`,
        );
      }
    }
    // Give the process a moment to write whatever it logs about those requests.
    await new Promise((wait) => setTimeout(wait, 200));
    const output = child.output();
    assert.match(output, /listening on/, 'the output was captured');
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!output.includes(secret), `the server output carried the ${name}`);
    }
  });
});
