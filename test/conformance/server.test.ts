/**
 * The protocol conformance suite against the real server over HTTP, and the check that keeps
 * `ErrorCode` honest: every code of the union is named with a request (a suite case, or a case
 * below that needs special setup) that makes the real server answer it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { defaultCodeFor } from '../../src/mocks/mock-responses.js';
import type { ErrorCode } from '../../src/protocol.js';
import { createQueueApp } from '../../src/server/app.js';
import { createProofOfWorkChallenge } from '../../src/server/proof-of-work.js';
import { AdmissionError, verifyAdmission } from '../../src/verify/index.js';
import { ADMIN_TOKEN } from '../server/helpers/test-server.js';
import { IDENTITY_CASES } from './identity-cases.js';
import { CASES, admit, admitOk, expectError, join, joinOk } from './suite.js';
import type { ConformanceCase, Target } from './suite.js';
import { serverTarget } from './targets.js';

/** Cases that need a server set up on purpose (limits, a challenge, a failing store). */
const SPECIAL: Array<ConformanceCase & { setup?: Parameters<typeof serverTarget>[0] }> = [
  {
    name: 'special: past maxInFlight, 503 overloaded with Retry-After',
    codes: ['overloaded'],
    setup: { maxInFlight: 0 },
    async run(t) {
      await expectError(await join(t), 503, 'overloaded', { 'Retry-After': /^\d+$/ });
    },
  },
  {
    name: 'special: past joinsPerMinutePerClient, 429 rate_limited with Retry-After',
    codes: ['rate_limited'],
    setup: { joinsPerMinutePerClient: 1 },
    async run(t) {
      const asClient = () =>
        t.fetch('/rooms/demo/join', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Client': 'one' },
          body: '{}',
        });
      assert.equal((await asClient()).status, 200);
      await expectError(await asClient(), 429, 'rate_limited', { 'Retry-After': /^\d+$/ });
    },
  },
  {
    name: 'special: a join without the proof of work, 403 forbidden with the challenge',
    codes: ['forbidden'],
    setup: { joinChallenge: createProofOfWorkChallenge({ bits: 8 }) },
    async run(t) {
      await expectError(await join(t), 403, 'forbidden', { 'Queue-Gate-Challenge': /.+/ });
    },
  },
  {
    name: "special: the admin beacon endpoint's refusals, 409 beacon_*",
    codes: ['beacon_not_configured', 'beacon_too_early', 'beacon_conflict'],
    async run(t) {
      const beacon = (room: string, body: unknown, method = 'POST') =>
        t.fetch(`/admin/rooms/${room}${method === 'POST' ? '/beacon' : ''}`, {
          method,
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const value = 'ab'.repeat(32);
      await expectError(await beacon('demo', { round: 7, value }), 409, 'beacon_not_configured');
      const opensAt = t.server!.clock.now() + 60_000;
      const scheduled = await beacon('draw', { opensAt, beacon: { id: 'local', round: 7 } }, 'PUT');
      assert.equal(scheduled.status, 201);
      await expectError(await beacon('draw', { round: 7, value }), 409, 'beacon_too_early');
      await t.skipTime(61_000);
      assert.equal((await beacon('draw', { round: 7, value })).status, 200);
      await expectError(
        await beacon('draw', { round: 7, value: 'cd'.repeat(32) }),
        409,
        'beacon_conflict',
      );
    },
  },
  {
    name: 'special: a body that never arrives in full, 408 body_timeout',
    codes: ['body_timeout'],
    async run(t) {
      // The app reading the body itself (as on runtimes other than Node), its stream cut short.
      const app = createQueueApp({
        service: t.server!.service,
        adminToken: ADMIN_TOKEN,
        logError: () => {},
      });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"tick'));
          controller.error(new Error('connection reset'));
        },
      });
      const request = new Request(`${t.server!.url}/rooms/demo/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      const response = await app.fetch(request);
      t.seen.add(((await response.clone().json()) as { error: { code: string } }).error.code);
      await expectError(response, 408, 'body_timeout', { Connection: 'close' });
    },
  },
  {
    name: 'special: an unexpected throw (store test double), 500 internal',
    codes: ['internal'],
    async run(t) {
      // `internal` is the error handler's answer to anything it does not know: no request can
      // cause it on a healthy server, so a store that throws a plain error stands in for a bug.
      const store = t.server!.store;
      store.getRoom = () => Promise.reject(new Error('a bug'));
      await expectError(await join(t), 500, 'internal');
    },
  },
  {
    name: 'special: a place held by another visitor, 403 forbidden',
    codes: ['forbidden'],
    async run(t) {
      // Two tickets for one place (same seq, another sub), signed with the server's own key.
      const server = t.server!;
      const { ticket } = await joinOk(t);
      await t.advance(1);
      await admitOk(t, ticket);
      const other = await server.signer.signTicket({ sub: 'someone-else', room: 'demo', seq: 1 });
      await expectError(await admit(t, other.token), 403, 'forbidden');
    },
  },
];

/**
 * For every code of `ErrorCode`, the case that makes the real server answer it. The type makes
 * this list complete: a code added to the union without a case here does not compile.
 */
const REACHED_BY: Record<ErrorCode, string | { exempt: string }> = {
  token_missing: 'admit: no ticket',
  token_malformed: 'join: a ticket that is not a token is malformed',
  token_too_large: 'join: a ticket over the size limit',
  token_bad_signature: 'join: a tampered ticket has a bad signature',
  token_alg_not_allowed: 'join: an alg "none" ticket is refused for its algorithm',
  token_unknown_kid: 'join: a ticket signed with an unknown key',
  token_expired: 'join: an expired ticket whose place is gone',
  token_not_yet_valid: 'join: a ticket issued in the future',
  token_wrong_type: 'join: an admission is not a ticket',
  token_wrong_room: "join: another room's ticket",
  token_wrong_audience: 'book: an admission for another audience',
  token_wrong_issuer: 'join: a ticket from another issuer',
  token_missing_claim: 'join: a ticket without a required claim',
  token_wrong_cohort: {
    exempt:
      'verifier only: `verifyAdmission({ cohort })` refuses with it; the server forwards any ' +
      'TokenErrorCode, so the union keeps every token code (src/verify shares TokenErrorCode)',
  },
  token_lifetime_too_long:
    'join: identity rules (required, the assertion refused with token "identity")',
  token_wrong_identity: {
    exempt:
      'verifier only: `verifyAdmission({ identity })` refuses with it, like token_wrong_cohort',
  },
  invalid_room_id: 'invalid room ids: 400 on every room path',
  invalid_body: 'join: a body that is not JSON, or not an object, or a bad ticket field',
  body_too_large: 'join: a body over the size limit',
  body_timeout: 'special: a body that never arrives in full, 408 body_timeout',
  unsupported_media_type: 'join: a body that is not JSON by its type',
  room_not_found: 'join: an unknown room',
  room_closed: 'join: a closed room takes no new visitors but keeps places',
  not_your_turn: 'admit: before the turn',
  booking_full: 'admit: booking_full past maxActive, with Retry-After',
  hold_expired: 'admit: an expired ticket whose hold passed',
  cohort_not_open: 'join: cohort rules (required, known, open)',
  admission_used: 'book: once per place, then admission_used for admit and book',
  beacon_not_configured: "special: the admin beacon endpoint's refusals, 409 beacon_*",
  beacon_too_early: "special: the admin beacon endpoint's refusals, 409 beacon_*",
  beacon_conflict: "special: the admin beacon endpoint's refusals, 409 beacon_*",
  identity_required: 'join: identity rules (required, the assertion refused with token "identity")',
  place_released: "admit: a place given up for the same person's other place, 410 place_released",
  unauthorized: 'metrics: a bearer token is required',
  forbidden: 'special: a join without the proof of work, 403 forbidden with the challenge',
  origin_not_allowed: 'join: an origin the room does not allow',
  not_found: 'unknown paths: 404 not_found',
  method_not_allowed: 'wrong methods: 405 with Allow',
  rate_limited: 'special: past joinsPerMinutePerClient, 429 rate_limited with Retry-After',
  overloaded: 'special: past maxInFlight, 503 overloaded with Retry-After',
  internal: 'special: an unexpected throw (store test double), 500 internal',
};

/** Codes each case actually made the server answer, by case name. */
const answered = new Map<string, Set<string>>();
const targets: Target[] = [];

async function runCase(
  testCase: ConformanceCase & { setup?: Parameters<typeof serverTarget>[0] },
): Promise<void> {
  const target = await serverTarget(testCase.setup ?? {});
  targets.push(target);
  try {
    await testCase.run(target);
  } finally {
    answered.set(testCase.name, target.seen);
    await target.server!.close();
  }
  for (const code of testCase.codes) assert.ok(target.seen.has(code), `answered ${code}`);
}

describe('protocol conformance: real server over HTTP', () => {
  after(() => Promise.all(targets.map((t) => t.server!.close().catch(() => {}))));
  for (const testCase of CASES) it(testCase.name, () => runCase(testCase));
  for (const testCase of SPECIAL) it(testCase.name, () => runCase(testCase));
  for (const testCase of IDENTITY_CASES) it(testCase.name, () => runCase(testCase));
});

describe('ErrorCode: every code is one the server sends', () => {
  it('names, for every code, a case that made the real server answer it', () => {
    const names = new Set([...CASES, ...SPECIAL, ...IDENTITY_CASES].map((c) => c.name));
    const unreached: string[] = [];
    for (const [code, reachedBy] of Object.entries(REACHED_BY)) {
      if (typeof reachedBy !== 'string') continue;
      assert.ok(names.has(reachedBy), `${code}: no case named "${reachedBy}"`);
      if (!answered.get(reachedBy)?.has(code)) unreached.push(`${code} (by "${reachedBy}")`);
    }
    assert.deepEqual(unreached, [], 'codes the server did not answer');
  });

  it('keeps only exemptions that are still true', async () => {
    const exempt = Object.entries(REACHED_BY)
      .filter(([, reachedBy]) => typeof reachedBy !== 'string')
      .map(([code]) => code);
    assert.deepEqual(exempt, ['token_wrong_cohort', 'token_wrong_identity']);
    // No suite request made the server answer an exempt code.
    for (const seen of answered.values()) {
      for (const code of exempt) assert.ok(!seen.has(code), `the server answered ${code}`);
    }
    // The mocks' injected faults name only codes the server sends.
    assert.equal(defaultCodeFor(400), 'invalid_body');
    assert.equal(defaultCodeFor(418), 'invalid_body');
    // The verifier produces token_wrong_cohort for an admission of another cohort.
    const target = await serverTarget();
    try {
      const server = target.server!;
      const signed = await server.signer.signAdmission({
        sub: 'v',
        room: 'demo',
        seq: 1,
        aud: server.url,
        cohort: 'a',
      });
      const refusal = await verifyAdmission(signed.token, {
        jwks: server.signer.jwks(),
        room: 'demo',
        audience: server.url,
        issuer: server.url,
        now: server.clock.now,
        cohort: 'b',
      }).catch((error: unknown) => error);
      assert.ok(refusal instanceof AdmissionError);
      assert.equal(refusal.code, 'token_wrong_cohort');
      // And token_wrong_identity for an admission of a place bound to nobody, or another person.
      const identity = { sub: 'someone', issuer: 'https://shop.test', hashKey: 'k'.repeat(43) };
      const wrongPerson = await verifyAdmission(signed.token, {
        jwks: server.signer.jwks(),
        room: 'demo',
        audience: server.url,
        issuer: server.url,
        now: server.clock.now,
        identity,
      }).catch((error: unknown) => error);
      assert.ok(wrongPerson instanceof AdmissionError);
      assert.equal(wrongPerson.code, 'token_wrong_identity');
    } finally {
      await target.server!.close();
    }
  });
});
