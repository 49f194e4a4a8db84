/**
 * The protocol conformance suite: one table of requests and the answers the wire protocol
 * promises (status, error code and the headers that matter), run against the real server over
 * HTTP (`server.test.ts`) and against the mocks' simulator (`mocks.test.ts`), so the two can
 * never drift apart unnoticed.
 *
 * A case marked `serverOnly` needs something the mocks cannot be set up for: a token carried
 * from one room to another (each mocked room is a simulator with its own key), controls of a
 * room other than `demo`, the admin token, tokens forged with the server's own key. Cohorts,
 * `maxActive` and allowed origins are set on the mocks' rooms through `roomSettings`.
 */
import assert from 'node:assert/strict';
import { SignJWT, importJWK } from 'jose';
import { LIMITS, TOKEN_TYPES } from '../../src/protocol.js';
import type { ErrorCode, RoomStatus } from '../../src/protocol.js';
import type { TestServer } from '../server/helpers/test-server.js';
import { ADMIN_TOKEN } from '../server/helpers/test-server.js';

/** An origin the demo room allows (the mocks allow every origin). */
export const ALLOWED_ORIGIN = 'https://shop.test';
/** An origin no room of the test server allows. */
export const OTHER_ORIGIN = 'https://evil.test';
/** `Cache-Control` of state answers. */
export const STATE_CACHE_CONTROL = 'public, max-age=1, s-maxage=1, stale-while-revalidate=5';
/** Cohort that is open (`now`) and one that opens in a day, in the server's `cohorts` room. */
export const COHORT_OPEN = 'a';
export const COHORT_LATER = 'b';

/** Something that answers the protocol: the real server, or the mocks. */
export interface Target {
  kind: 'server' | 'mocks';
  /** Answers `path` (from the origin) with the real app. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Moves the demo room's line by `by` places. */
  advance(by: number): Promise<void>;
  setStatus(status: RoomStatus): Promise<void>;
  /** Moves the target's clock ahead. */
  skipTime(ms: number): Promise<void>;
  /** The real server behind the target, for server-only cases. */
  server?: TestServer;
  /** Every error code answered so far (JSON error bodies). */
  readonly seen: Set<string>;
}

export interface ConformanceCase {
  name: string;
  /** Error codes the case makes the target answer (checked: each must be seen). */
  codes: ErrorCode[];
  serverOnly?: boolean;
  /** Where the mocks are known to answer otherwise (reported, not fixed here). */
  mocksDiffer?: string;
  run(t: Target): Promise<void>;
}

/** Wraps a raw fetch so every error code answered is recorded. */
export function recording(
  raw: (path: string, init?: RequestInit) => Promise<Response>,
  seen: Set<string>,
): (path: string, init?: RequestInit) => Promise<Response> {
  return async (path, init) => {
    const response = await raw(path, init);
    if (response.status >= 400 && /json/.test(response.headers.get('Content-Type') ?? '')) {
      const body = (await response.clone().json()) as { error?: { code?: string } };
      if (typeof body.error?.code === 'string') seen.add(body.error.code);
    }
    return response;
  };
}

// ---------------------------------------------------------------------------------------------
// Requests and checks

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every field read is asserted
type Json = any;

const JSON_TYPE = /^application\/json; charset=utf-8$/;

export function post(
  t: Target,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return t.fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

export const join = (t: Target, body: unknown = {}, room = 'demo') =>
  post(t, `/rooms/${room}/join`, body);
export const admit = (t: Target, ticket: string | undefined, room = 'demo') =>
  t.fetch(`/rooms/${room}/admit`, {
    method: 'POST',
    headers: ticket === undefined ? {} : { Authorization: `Bearer ${ticket}` },
  });
export const book = (t: Target, admission: string, room = 'demo') =>
  t.fetch(`/demo/book?room=${room}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admission}` },
  });

export async function joinOk(
  t: Target,
  body: unknown = {},
  room = 'demo',
): Promise<{ ticket: string; seq: number }> {
  const answer = await expectOk(await join(t, body, room));
  return answer as { ticket: string; seq: number };
}

export async function admitOk(t: Target, ticket: string, room = 'demo'): Promise<string> {
  const answer = await expectOk(await admit(t, ticket, room));
  return (answer as { admission: string }).admission;
}

/** A 200 JSON answer that no cache keeps; returns its body. */
export async function expectOk(response: Response): Promise<Json> {
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.match(response.headers.get('Content-Type') ?? '', JSON_TYPE);
  assert.equal(response.headers.get('Cache-Control'), 'no-store');
  return JSON.parse(text) as Json;
}

/**
 * An error answer of the protocol: `status`, `{ error: { code, message } }` as JSON, never
 * cached, and the given headers.
 */
export async function expectError(
  response: Response,
  status: number,
  code: ErrorCode,
  headers: Record<string, string | RegExp> = {},
): Promise<Json> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get('Content-Type') ?? '', JSON_TYPE);
  assert.equal(response.headers.get('Cache-Control'), 'no-store');
  const body = JSON.parse(text) as Json;
  assert.equal(body.error.code, code, text);
  assert.equal(typeof body.error.message, 'string');
  expectHeaders(response, headers);
  return body;
}

export function expectHeaders(response: Response, headers: Record<string, string | RegExp>): void {
  for (const [name, expected] of Object.entries(headers)) {
    const actual = response.headers.get(name);
    if (typeof expected === 'string') assert.equal(actual, expected, name);
    else assert.match(actual ?? '', expected, name);
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with `header` and `payload` and a made-up signature. */
const unsigned = (header: unknown, payload: unknown, signature = 'c2ln') =>
  `${b64(header)}.${b64(payload)}.${signature}`;

/** A ticket signed with the server's own key, with exactly `claims` (server only). */
async function forgedTicket(
  t: Target,
  claims: Record<string, unknown>,
  typ: string = TOKEN_TYPES.ticket,
): Promise<string> {
  const server = t.server!;
  const key = server.signer.exportKeys().find((k) => !k.next && k.retiredAt === undefined)!;
  const privateKey = await importJWK(key.privateJwk, 'EdDSA');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ, kid: key.kid })
    .sign(privateKey);
}

function validClaims(t: Target): Record<string, unknown> {
  const now = Math.floor(t.server!.clock.now() / 1000);
  return {
    iss: t.server!.url,
    sub: 'visitor-1',
    room: 'demo',
    seq: 1,
    iat: now,
    exp: now + 3600,
  };
}

// ---------------------------------------------------------------------------------------------
// The table

export const CASES: ConformanceCase[] = [
  // -- join
  {
    name: 'join: a new visitor gets the next place',
    codes: [],
    async run(t) {
      const first = await expectOk(await join(t));
      assert.equal(first.seq, 1);
      assert.equal(first.position, 1);
      assert.equal(typeof first.ticket, 'string');
      assert.equal(first.status, 'open');
      for (const field of ['serving', 'ratePerSec', 'pollAfterMs', 'ticketExpiresAt']) {
        assert.equal(typeof first[field], 'number', field);
      }
      assert.equal((await expectOk(await join(t))).seq, 2);
    },
  },
  {
    name: 'join: an empty body is a new visitor too',
    codes: [],
    async run(t) {
      const response = await t.fetch('/rooms/demo/join', { method: 'POST' });
      assert.equal((await expectOk(response)).seq, 1);
    },
  },
  {
    name: 'join: a ticket keeps its place',
    codes: [],
    async run(t) {
      const first = await joinOk(t);
      await joinOk(t);
      const again = await expectOk(await join(t, { ticket: first.ticket }));
      assert.equal(again.seq, first.seq);
    },
  },
  {
    name: 'join: a ticket that is not a token is malformed',
    codes: ['token_malformed'],
    async run(t) {
      await expectError(await join(t, { ticket: 'not-a-token' }), 401, 'token_malformed');
    },
  },
  {
    name: 'join: a tampered ticket has a bad signature',
    codes: ['token_bad_signature'],
    async run(t) {
      const { ticket } = await joinOk(t);
      const [header, payload, signature] = ticket.split('.') as [string, string, string];
      const flipped = signature.startsWith('A')
        ? `B${signature.slice(1)}`
        : `A${signature.slice(1)}`;
      await expectError(
        await join(t, { ticket: `${header}.${payload}.${flipped}` }),
        401,
        'token_bad_signature',
      );
    },
  },
  {
    name: 'join: an alg "none" ticket is refused for its algorithm',
    codes: ['token_alg_not_allowed'],
    async run(t) {
      const token = unsigned(
        { alg: 'none', typ: TOKEN_TYPES.ticket },
        { room: 'demo', seq: 1 },
        '',
      );
      await expectError(await join(t, { ticket: token }), 401, 'token_alg_not_allowed');
    },
  },
  {
    name: 'join: a ticket signed with an unknown key',
    codes: ['token_unknown_kid'],
    async run(t) {
      const token = unsigned(
        { alg: 'EdDSA', typ: TOKEN_TYPES.ticket, kid: 'no-such-key' },
        { room: 'demo', seq: 1 },
      );
      await expectError(await join(t, { ticket: token }), 401, 'token_unknown_kid');
    },
  },
  {
    name: 'join: a ticket over the size limit',
    codes: ['token_too_large'],
    async run(t) {
      const token = 'a'.repeat(LIMITS.maxTokenLength + 1);
      await expectError(await join(t, { ticket: token }), 401, 'token_too_large');
    },
  },
  {
    name: 'join: an admission is not a ticket',
    codes: ['token_wrong_type'],
    async run(t) {
      const { ticket } = await joinOk(t);
      await t.advance(1);
      const admission = await admitOk(t, ticket);
      await expectError(await join(t, { ticket: admission }), 401, 'token_wrong_type');
    },
  },
  {
    name: "join: another room's ticket",
    codes: ['token_wrong_room'],
    serverOnly: true,
    async run(t) {
      const { ticket } = await joinOk(t, {}, 'other');
      await expectError(await join(t, { ticket }), 401, 'token_wrong_room');
    },
  },
  {
    name: 'join: an expired ticket whose place is gone',
    codes: ['token_expired'],
    async run(t) {
      const { ticket } = await joinOk(t);
      await t.advance(1);
      await t.skipTime(25 * 60 * 60 * 1000);
      await expectError(await join(t, { ticket }), 401, 'token_expired');
    },
  },
  {
    name: 'join: a ticket from another issuer',
    codes: ['token_wrong_issuer'],
    serverOnly: true,
    async run(t) {
      const token = await forgedTicket(t, { ...validClaims(t), iss: 'https://elsewhere.test' });
      await expectError(await join(t, { ticket: token }), 401, 'token_wrong_issuer');
    },
  },
  {
    name: 'join: a ticket without a required claim',
    codes: ['token_missing_claim'],
    serverOnly: true,
    async run(t) {
      const { sub: _sub, ...claims } = validClaims(t);
      await expectError(
        await join(t, { ticket: await forgedTicket(t, claims) }),
        401,
        'token_missing_claim',
      );
    },
  },
  {
    name: 'join: a ticket issued in the future',
    codes: ['token_not_yet_valid'],
    serverOnly: true,
    async run(t) {
      const claims = validClaims(t);
      const iat = (claims.iat as number) + 600;
      const token = await forgedTicket(t, { ...claims, iat, exp: iat + 3600 });
      await expectError(await join(t, { ticket: token }), 401, 'token_not_yet_valid');
    },
  },
  {
    name: 'join: a body that is not JSON, or not an object, or a bad ticket field',
    codes: ['invalid_body'],
    async run(t) {
      await expectError(await join(t, '{'), 400, 'invalid_body');
      await expectError(await join(t, '[]'), 400, 'invalid_body');
      await expectError(await join(t, { ticket: 5 }), 400, 'invalid_body');
      await expectError(await join(t, { cohort: 'a' }), 400, 'invalid_body');
    },
  },
  {
    name: 'join: a body that is not JSON by its type',
    codes: ['unsupported_media_type'],
    async run(t) {
      const response = await t.fetch('/rooms/demo/join', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
      });
      await expectError(response, 415, 'unsupported_media_type');
    },
  },
  {
    name: 'join: a body over the size limit',
    codes: ['body_too_large'],
    async run(t) {
      const body = JSON.stringify({ pad: 'x'.repeat(LIMITS.maxBodyBytes) });
      await expectError(await join(t, body), 413, 'body_too_large');
    },
  },
  {
    name: 'join: an unknown room',
    codes: ['room_not_found'],
    async run(t) {
      await expectError(await join(t, {}, 'nowhere'), 404, 'room_not_found');
    },
  },
  {
    name: 'join: a closed room takes no new visitors but keeps places',
    codes: ['room_closed'],
    async run(t) {
      const { ticket, seq } = await joinOk(t);
      await t.setStatus('closed');
      await expectError(await join(t), 403, 'room_closed');
      const again = await expectOk(await join(t, { ticket }));
      assert.equal(again.seq, seq);
      assert.equal(again.status, 'closed');
    },
  },
  {
    name: 'join: cohort rules (required, known, open)',
    codes: ['invalid_body', 'cohort_not_open'],
    async run(t) {
      await expectError(await join(t, {}, 'cohorts'), 400, 'invalid_body');
      await expectError(await join(t, { cohort: 'zz' }, 'cohorts'), 400, 'invalid_body');
      const later = await expectError(
        await join(t, { cohort: COHORT_LATER }, 'cohorts'),
        403,
        'cohort_not_open',
      );
      assert.equal(typeof later.error.opensAt, 'number');
      const open = await expectOk(await join(t, { cohort: COHORT_OPEN }, 'cohorts'));
      assert.equal(open.cohort, COHORT_OPEN);
    },
  },
  {
    name: 'join: CORS for an allowed origin, and its preflight',
    codes: [],
    async run(t) {
      const response = await t.fetch('/rooms/demo/join', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: ALLOWED_ORIGIN },
        body: '{}',
      });
      await expectOk(response);
      expectHeaders(response, {
        'Access-Control-Allow-Origin': ALLOWED_ORIGIN,
        'Access-Control-Expose-Headers': /Retry-After/,
      });
      const preflight = await t.fetch('/rooms/demo/join', {
        method: 'OPTIONS',
        headers: {
          Origin: ALLOWED_ORIGIN,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      expectHeaders(preflight, {
        'Access-Control-Allow-Origin': ALLOWED_ORIGIN,
        'Access-Control-Allow-Methods': /POST/,
        'Access-Control-Allow-Headers': /Content-Type/,
      });
    },
  },
  {
    name: 'join: an origin the room does not allow',
    codes: ['origin_not_allowed'],
    async run(t) {
      const response = await t.fetch('/rooms/demo/join', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: OTHER_ORIGIN },
        body: '{}',
      });
      await expectError(response, 403, 'origin_not_allowed');
      // Readable by that page (a setup mistake to report), its preflight answered to get there.
      expectHeaders(response, { 'Access-Control-Allow-Origin': OTHER_ORIGIN });
      const preflight = await t.fetch('/rooms/demo/join', {
        method: 'OPTIONS',
        headers: { Origin: OTHER_ORIGIN, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(preflight.status, 204);
      expectHeaders(preflight, { 'Access-Control-Allow-Origin': OTHER_ORIGIN });
    },
  },

  // -- state
  {
    name: 'state: public, cacheable, with a weak ETag, and 304 when it matches',
    codes: [],
    async run(t) {
      await joinOk(t);
      const response = await t.fetch('/rooms/demo/state');
      const text = await response.text();
      assert.equal(response.status, 200, text);
      expectHeaders(response, {
        'Content-Type': JSON_TYPE,
        'Cache-Control': STATE_CACHE_CONTROL,
        'Access-Control-Allow-Origin': '*',
        ETag: /^W\/".+"$/,
      });
      const state = JSON.parse(text) as Json;
      assert.equal(state.issued, 1);
      assert.equal(state.serving, 0);
      assert.equal(state.status, 'open');
      const etag = response.headers.get('ETag')!;
      for (const tag of [etag, etag.slice(2), `"nope", ${etag}`]) {
        const cached = await t.fetch('/rooms/demo/state', { headers: { 'If-None-Match': tag } });
        assert.equal(cached.status, 304, tag);
        assert.equal(await cached.text(), '');
        expectHeaders(cached, { ETag: etag, 'Cache-Control': STATE_CACHE_CONTROL });
      }
      await joinOk(t);
      const changed = await t.fetch('/rooms/demo/state', { headers: { 'If-None-Match': etag } });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('ETag'), etag);
      assert.equal(((await changed.json()) as Json).issued, 2);
    },
  },
  {
    name: 'state: an unknown room',
    codes: ['room_not_found'],
    async run(t) {
      await expectError(await t.fetch('/rooms/nowhere/state'), 404, 'room_not_found');
    },
  },

  // -- admit
  {
    name: 'admit: no ticket',
    codes: ['token_missing'],
    async run(t) {
      await expectError(await admit(t, undefined), 401, 'token_missing');
    },
  },
  {
    name: "admit: another room's ticket",
    codes: ['token_wrong_room'],
    serverOnly: true,
    async run(t) {
      const { ticket } = await joinOk(t, {}, 'other');
      await expectError(await admit(t, ticket), 401, 'token_wrong_room');
    },
  },
  {
    name: 'admit: before the turn',
    codes: ['not_your_turn'],
    async run(t) {
      const { ticket } = await joinOk(t);
      await expectError(await admit(t, ticket), 409, 'not_your_turn');
    },
  },
  {
    name: 'admit: at the turn, and the same admission on a retry',
    codes: [],
    async run(t) {
      const { ticket } = await joinOk(t);
      await t.advance(1);
      const first = await expectOk(await admit(t, ticket));
      assert.equal(typeof first.admission, 'string');
      assert.equal(typeof first.expiresAt, 'number');
      const retry = await expectOk(await admit(t, ticket));
      assert.equal(retry.admission, first.admission);
      assert.equal(retry.expiresAt, first.expiresAt);
    },
  },
  {
    name: 'admit: an expired ticket whose hold passed',
    codes: ['hold_expired'],
    async run(t) {
      const { ticket } = await joinOk(t);
      await t.advance(1);
      await t.skipTime(2 * 60 * 60 * 1000);
      await expectError(await admit(t, ticket), 410, 'hold_expired');
    },
  },
  {
    name: 'admit: a closed room admits nobody',
    codes: ['room_closed'],
    async run(t) {
      const { ticket } = await joinOk(t);
      await t.advance(1);
      await t.setStatus('closed');
      await expectError(await admit(t, ticket), 403, 'room_closed');
    },
  },
  {
    name: 'admit: a cohort whose window has not opened',
    serverOnly: true,
    codes: ['cohort_not_open'],
    async run(t) {
      const server = t.server!;
      const { ticket } = await joinOk(t, { cohort: COHORT_OPEN }, 'cohorts');
      await server.service.advance('cohorts', 1);
      const later = server.clock.now() + 24 * 60 * 60 * 1000;
      const put = await fetch(`${server.url}/admin/rooms/cohorts`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          cohorts: [{ id: COHORT_OPEN, opensAt: later, closesAt: null }],
        }),
      });
      assert.equal(put.status, 200, await put.text());
      await expectError(await admit(t, ticket, 'cohorts'), 403, 'cohort_not_open');
    },
  },
  {
    name: 'admit: booking_full past maxActive, with Retry-After',
    serverOnly: true,
    codes: ['booking_full'],
    async run(t) {
      const first = await joinOk(t, {}, 'full');
      await t.server!.service.advance('full', 1);
      await admitOk(t, first.ticket, 'full');
      const second = await joinOk(t, {}, 'full');
      await t.server!.service.advance('full', 1);
      await expectError(await admit(t, second.ticket, 'full'), 409, 'booking_full', {
        'Retry-After': /^\d+$/,
      });
    },
  },

  // -- /demo/book
  {
    name: 'book: once per place, then admission_used for admit and book',
    codes: ['admission_used'],
    async run(t) {
      const { ticket, seq } = await joinOk(t);
      await t.advance(1);
      const admission = await admitOk(t, ticket);
      const booked = await expectOk(await book(t, admission));
      assert.deepEqual(booked, { booked: true, room: 'demo', seq });
      await expectError(await book(t, admission), 409, 'admission_used');
      await expectError(await admit(t, ticket), 409, 'admission_used');
    },
  },
  {
    name: 'book: without an admission',
    codes: ['token_missing'],
    async run(t) {
      const response = await t.fetch('/demo/book', { method: 'POST' });
      await expectError(response, 401, 'token_missing');
    },
  },
  {
    name: 'book: a ticket is not an admission',
    codes: ['token_wrong_type'],
    async run(t) {
      const { ticket } = await joinOk(t);
      await expectError(await book(t, ticket), 401, 'token_wrong_type');
    },
  },
  {
    name: 'book: an admission for another audience',
    codes: ['token_wrong_audience'],
    serverOnly: true,
    async run(t) {
      const server = t.server!;
      const { ticket } = await joinOk(t);
      await t.advance(1);
      const admission = await admitOk(t, ticket);
      const put = await fetch(`${server.url}/admin/rooms/demo`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ audience: 'https://booking.elsewhere.test' }),
      });
      assert.equal(put.status, 200, await put.text());
      await expectError(await book(t, admission), 401, 'token_wrong_audience');
    },
  },
  {
    name: 'book: an invalid room id in the query',
    codes: ['invalid_room_id'],
    async run(t) {
      const response = await t.fetch('/demo/book?room=-bad', { method: 'POST' });
      await expectError(response, 400, 'invalid_room_id');
    },
  },

  // -- public documents
  {
    name: 'jwks: the public keys, cacheable',
    codes: [],
    async run(t) {
      const response = await t.fetch('/.well-known/jwks.json');
      assert.equal(response.status, 200);
      expectHeaders(response, {
        'Content-Type': /^application\/jwk-set\+json/,
        'Cache-Control': 'public, max-age=300',
        'Access-Control-Allow-Origin': '*',
      });
      const { keys } = (await response.json()) as Json;
      assert.ok(Array.isArray(keys) && keys.length > 0);
      for (const key of keys) {
        assert.equal(key.kty, 'OKP');
        assert.equal(key.d, undefined, 'no private part');
      }
    },
  },
  {
    name: 'healthz: ok, never cached',
    codes: [],
    async run(t) {
      const health = await expectOk(await t.fetch('/healthz'));
      assert.equal(typeof health, 'object');
    },
  },
  {
    name: 'metrics: a bearer token is required',
    codes: ['unauthorized'],
    async run(t) {
      await expectError(await t.fetch('/metrics'), 401, 'unauthorized', {
        'WWW-Authenticate': 'Bearer realm="queue-gate metrics"',
      });
      const wrong = await t.fetch('/metrics', { headers: { Authorization: 'Bearer nope' } });
      await expectError(wrong, 401, 'unauthorized', { 'WWW-Authenticate': /^Bearer / });
    },
  },
  {
    name: 'metrics: the admin token reads them',
    codes: [],
    serverOnly: true,
    async run(t) {
      const response = await t.fetch('/metrics', {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      assert.equal(response.status, 200);
      expectHeaders(response, { 'Content-Type': /^text\/plain/, 'Cache-Control': 'no-store' });
    },
  },
  {
    name: 'admin: a bearer token is required',
    codes: ['unauthorized'],
    async run(t) {
      const response = await t.fetch('/admin/rooms/demo');
      await expectError(response, 401, 'unauthorized', {
        'WWW-Authenticate': 'Bearer realm="queue-gate admin"',
      });
    },
  },

  // -- paths and methods
  {
    name: 'wrong methods: 405 with Allow',
    codes: ['method_not_allowed'],
    async run(t) {
      const cases: Array<[string, string, string]> = [
        ['GET', '/rooms/demo/join', 'POST, OPTIONS'],
        ['GET', '/rooms/demo/admit', 'POST, OPTIONS'],
        ['POST', '/rooms/demo/state', 'GET, HEAD, OPTIONS'],
        ['DELETE', '/rooms/demo/fairness', 'GET, HEAD, OPTIONS'],
        ['POST', '/.well-known/jwks.json', 'GET, HEAD'],
        ['POST', '/healthz', 'GET, HEAD'],
        ['GET', '/demo/book', 'POST'],
      ];
      for (const [method, path, allow] of cases) {
        await expectError(await t.fetch(path, { method }), 405, 'method_not_allowed', {
          Allow: allow,
        });
      }
    },
  },
  {
    name: 'unknown paths: 404 not_found',
    codes: ['not_found'],
    async run(t) {
      await expectError(await t.fetch('/nothing/here'), 404, 'not_found');
      await expectError(await t.fetch('/rooms/demo/nope'), 404, 'not_found');
    },
  },
  {
    name: 'invalid room ids: 400 on every room path',
    codes: ['invalid_room_id'],
    async run(t) {
      const bad = ['-leading-dash', 'a'.repeat(65), 'sp%20ace', 'dot.ted'];
      for (const room of bad) {
        await expectError(await join(t, {}, room), 400, 'invalid_room_id');
        await expectError(await t.fetch(`/rooms/${room}/state`), 400, 'invalid_room_id');
        await expectError(await admit(t, 'x', room), 400, 'invalid_room_id');
      }
    },
  },
];
