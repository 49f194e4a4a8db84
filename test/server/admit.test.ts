import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAdmission } from '../../src/verify/index.js';
import { admit, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('admit over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 60 } } });
  });
  after(() => server.close());

  it('answers 409 not_your_turn before the visitor is served', async () => {
    const visitor = await join(server);
    const answer = await admit(server, visitor.json.ticket);
    assert.equal(answer.status, 409);
    assert.equal(answer.json.error.code, 'not_your_turn');
  });

  it('hands out an admission the JWKS verifies once seq <= serving', async () => {
    const visitor = await join(server);
    await adminCall(server, 'POST', 'demo/advance', { by: visitor.json.position });
    const answer = await admit(server, visitor.json.ticket);
    assert.equal(answer.status, 200);
    assert.ok(answer.json.expiresAt > server.clock.now());
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    const claims = await verifyAdmission(answer.json.admission, {
      jwks,
      room: 'demo',
      audience: server.origin,
      issuer: server.origin,
      now: server.clock.now,
    });
    assert.equal(claims.seq, visitor.json.seq);
    assert.equal(claims.room, 'demo');
  });

  it('gives the same admission (same jti) to a retried claim', async () => {
    const visitor = await join(server);
    await adminCall(server, 'POST', 'demo/advance', { by: visitor.json.position });
    const first = await admit(server, visitor.json.ticket);
    server.clock.advance(5000);
    const second = await admit(server, visitor.json.ticket);
    assert.equal(second.status, 200);
    assert.equal(second.json.admission, first.json.admission);
    assert.equal(second.json.expiresAt, first.json.expiresAt);
  });

  it('refuses an admission used as a ticket', async () => {
    const visitor = await join(server);
    await adminCall(server, 'POST', 'demo/advance', { by: visitor.json.position });
    const admission = (await admit(server, visitor.json.ticket)).json.admission as string;
    const answer = await admit(server, admission);
    assert.equal(answer.status, 401);
    assert.equal(answer.json.error.code, 'token_wrong_type');
  });

  it('answers 401 token_missing without a ticket', async () => {
    const answer = await fetch(`${server.url}/rooms/demo/admit`, { method: 'POST' });
    assert.equal(answer.status, 401);
    assert.equal((await answer.json()).error.code, 'token_missing');
  });

  it('still admits a late visitor within holdSeconds, and answers 410 hold_expired after', async () => {
    const late = await join(server);
    const later = await join(server);
    await adminCall(server, 'POST', 'demo/advance', { by: later.json.position });
    server.clock.advance(59_000);
    assert.equal((await admit(server, late.json.ticket)).status, 200);
    server.clock.advance(2_000);
    const expired = await admit(server, later.json.ticket);
    assert.equal(expired.status, 410);
    assert.equal(expired.json.error.code, 'hold_expired');
  });

  it('refuses admission in a closed room with 403 room_closed', async () => {
    await adminCall(server, 'PUT', 'shut', { admitPerMinute: 0 });
    const visitor = await join(server, 'shut');
    await adminCall(server, 'POST', 'shut/advance', { by: 1 });
    await adminCall(server, 'POST', 'shut/close');
    const answer = await admit(server, visitor.json.ticket, 'shut');
    assert.equal(answer.status, 403);
    assert.equal(answer.json.error.code, 'room_closed');
  });
});
