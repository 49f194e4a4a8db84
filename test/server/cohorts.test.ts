import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { AdmissionError, verifyAdmission } from '../../src/verify/index.js';
import { adminCall, admit, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const HOUR = 3_600_000;

describe('cohorts: each with its own window', () => {
  let server: TestServer;
  let digit0Opens: number;
  let digit1Closes: number;

  const joinAs = (cohort?: unknown, room = 'vaccine') =>
    postJson(`${server.url}/rooms/${room}/join`, cohort === undefined ? {} : { cohort });

  before(async () => {
    server = await startTestServer({ rooms: {} });
    const now = server.clock.now();
    digit0Opens = now + 24 * HOUR;
    digit1Closes = now + HOUR;
    const created = await adminCall(server, 'PUT', 'vaccine', {
      admitPerMinute: 0,
      audience: 'https://book.example',
      cohorts: [
        { id: '0', opensAt: digit0Opens },
        { id: '1', opensAt: now - 60_000, closesAt: digit1Closes },
      ],
    });
    assert.equal(created.status, 201);
  });
  after(() => server.close());

  it('refuses a new visitor without a cohort, or with one the room does not have', async () => {
    for (const cohort of [undefined, '7', '']) {
      const answer = await joinAs(cohort);
      assert.equal(answer.status, 400, `cohort ${String(cohort)}`);
      assert.equal(answer.json.error.code, 'invalid_body');
    }
  });

  it('refuses a visitor whose cohort is not open yet and says when it opens', async () => {
    const answer = await joinAs('0');
    assert.equal(answer.status, 403);
    assert.equal(answer.json.error.code, 'cohort_not_open');
    assert.equal(answer.json.error.opensAt, digit0Opens);
  });

  it('puts the cohort in the ticket and the admission, which the verify helper can require', async () => {
    const joined = await joinAs('1');
    assert.equal(joined.status, 200);
    assert.equal(joined.json.cohort, '1');
    assert.equal(decodeJwt(joined.json.ticket).cohort, '1');
    await adminCall(server, 'POST', 'vaccine/advance', { by: joined.json.seq });
    const admitted = await admit(server, joined.json.ticket, 'vaccine');
    assert.equal(admitted.status, 200);
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    const options = {
      jwks,
      room: 'vaccine',
      audience: 'https://book.example',
      issuer: server.origin,
      now: server.clock.now,
    };
    const claims = await verifyAdmission(admitted.json.admission, { ...options, cohort: '1' });
    assert.equal(claims.cohort, '1');
    await assert.rejects(
      verifyAdmission(admitted.json.admission, { ...options, cohort: '0' }),
      (error: unknown) => error instanceof AdmissionError && error.code === 'token_wrong_cohort',
    );
  });

  it('refuses admission once the cohort window has closed, even to a ticket that joined in time', async () => {
    const joined = await joinAs('1');
    assert.equal(joined.status, 200);
    await adminCall(server, 'POST', 'vaccine/advance', { by: 1 });
    server.clock.advance(digit1Closes - server.clock.now() + 1);
    const late = await admit(server, joined.json.ticket, 'vaccine');
    assert.equal(late.status, 403);
    assert.equal(late.json.error.code, 'cohort_not_open');
    assert.equal((await joinAs('1')).json.error.code, 'cohort_not_open');
  });

  it('lets the cohort in when its window opens', async () => {
    server.clock.advance(digit0Opens - server.clock.now());
    const joined = await joinAs('0');
    assert.equal(joined.status, 200);
    assert.equal(decodeJwt(joined.json.ticket).cohort, '0');
  });

  it('refuses malformed cohort settings', async () => {
    for (const cohorts of [
      [{ id: 'a b', opensAt: 0 }],
      [{ id: 'a' }],
      [
        { id: 'a', opensAt: 0 },
        { id: 'a', opensAt: 1 },
      ],
      [{ id: 'a', opensAt: 10, closesAt: 5 }],
      [{ id: 'a', opensAt: 0, extra: 1 }],
      'all',
    ]) {
      const answer = await adminCall(server, 'PUT', 'other', { cohorts });
      assert.equal(answer.status, 400, JSON.stringify(cohorts));
    }
  });
});
