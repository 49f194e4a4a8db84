import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol.js';
import { admit, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('POST /demo/book, the sample booking backend', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      rooms: { demo: { admitPerMinute: 0 }, other: { admitPerMinute: 0 } },
    });
  });
  after(() => server.close());

  async function admission(room = 'demo'): Promise<string> {
    const visitor = await join(server, room);
    await adminCall(server, 'POST', `${room}/advance`, { by: visitor.json.position });
    const answer = await admit(server, visitor.json.ticket, room);
    assert.equal(answer.status, 200);
    return answer.json.admission as string;
  }

  const book = (init: RequestInit, room?: string) =>
    fetch(`${server.url}/demo/book${room ? `?room=${room}` : ''}`, { method: 'POST', ...init });

  it('books once with a bearer admission, then answers 409 admission_used', async () => {
    const token = await admission();
    const first = await book({
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Kim', date: '2026-03-01' }),
    });
    assert.equal(first.status, 200);
    const booked = await first.json();
    assert.equal(booked.booked, true);
    assert.equal(booked.name, 'Kim');
    const again = await book({ headers: { Authorization: `Bearer ${token}` } });
    assert.equal(again.status, 409);
    assert.equal((await again.json()).error.code, 'admission_used');
  });

  it('books from a plain form post and answers a small HTML page that escapes the fields', async () => {
    const token = await admission();
    const form = new URLSearchParams({
      name: '<script>x</script>',
      date: '2026-03-02',
      queue_admission: token,
    });
    const answer = await book({
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    assert.match(answer.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await answer.text();
    assert.match(html, /Booked/);
    assert.ok(!html.includes('<script>x</script>'));
    assert.ok(!html.includes(token), 'the admission is not echoed');
  });

  it('accepts the queue_admission field of a JSON body', async () => {
    const token = await admission();
    const answer = await book({
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ queue_admission: token }),
    });
    assert.equal(answer.status, 200);
  });

  it('refuses an oversized body with 413 before using the admission', async () => {
    const token = await admission();
    const big = await book({
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(LIMITS.maxBodyBytes) }),
    });
    assert.equal(big.status, 413);
    assert.equal((await big.json()).error.code, 'body_too_large');
    const retry = await book({ headers: { Authorization: `Bearer ${token}` } });
    assert.equal(retry.status, 200, 'the admission was not used by the refused request');
  });

  it('answers 401 when the admission is missing or invalid', async () => {
    const missing = await book({});
    assert.equal(missing.status, 401);
    assert.equal((await missing.json()).error.code, 'token_missing');
    const garbage = await book({ headers: { Authorization: 'Bearer nonsense' } });
    assert.equal(garbage.status, 401);
    assert.equal((await garbage.json()).error.code, 'token_malformed');
    const visitor = await join(server);
    const ticket = await book({ headers: { Authorization: `Bearer ${visitor.json.ticket}` } });
    assert.equal(ticket.status, 401);
    assert.equal((await ticket.json()).error.code, 'token_wrong_type');
  });

  it('answers 401 token_wrong_room for an admission of another room', async () => {
    const token = await admission('other');
    const answer = await book({ headers: { Authorization: `Bearer ${token}` } }, 'demo');
    assert.equal(answer.status, 401);
    assert.equal((await answer.json()).error.code, 'token_wrong_room');
    assert.equal(
      (await book({ headers: { Authorization: `Bearer ${token}` } }, 'other')).status,
      200,
    );
  });

  it('answers 401 token_expired once the admission has expired', async () => {
    const token = await admission();
    server.clock.advance(10 * 60_000);
    const answer = await book({ headers: { Authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 401);
    assert.equal((await answer.json()).error.code, 'token_expired');
  });

  it('refuses to hand out a second admission to a visitor who booked', async () => {
    const visitor = await join(server);
    await adminCall(server, 'POST', 'demo/advance', { by: visitor.json.position });
    const token = (await admit(server, visitor.json.ticket)).json.admission as string;
    assert.equal((await book({ headers: { Authorization: `Bearer ${token}` } })).status, 200);
    const again = await admit(server, visitor.json.ticket);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'admission_used');
  });
});
