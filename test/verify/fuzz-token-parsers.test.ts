/**
 * Fuzzing the two token parsers (the server's ticket check and the booking-side admission
 * verifier) with fast-check: random strings, random three-part tokens, forged headers and
 * claims, and small mutations of genuine tokens. Whatever comes in, the answer is either the
 * claims of a token we signed, or a refusal with a `token_*` code; never another error, and
 * over HTTP never a 5xx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { AdmissionError, TokenError, verifyAdmission } from '../../src/verify/index.js';
import { admit, join, startTestServer } from '../server/helpers/test-server.js';
import type { TestServer } from '../server/helpers/test-server.js';
import { createTokenFixture, genuine, verifyOptionsFor } from './support/refusal-cases.js';
import type { TokenFixture, TokenKind } from './support/refusal-cases.js';
import { encodeSegment } from './support/token-forge.js';

const RUNS = 10_000;
const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** What a parser did with one input. */
type Outcome = { accepted: true; seq: number } | { accepted: false; code: string };

async function parse(fx: TokenFixture, kind: TokenKind, token: string): Promise<Outcome> {
  try {
    const claims =
      kind === 'ticket'
        ? await fx.signer.verifyTicket(token, { room: fx.room })
        : await verifyAdmission(token, verifyOptionsFor(fx));
    return { accepted: true, seq: claims.seq };
  } catch (error) {
    if (error instanceof TokenError || error instanceof AdmissionError) {
      return { accepted: false, code: error.code };
    }
    throw error;
  }
}

const base64urlSegment = fc
  .array(fc.constantFrom(...BASE64URL_CHARS), { maxLength: 120 })
  .map((chars) => chars.join(''));

/** Edits that keep a token printable: replace, insert or delete one character, or swap parts. */
const mutation = fc.record({
  op: fc.constantFrom('replace', 'insert', 'delete', 'truncate', 'swap'),
  at: fc.nat(),
  char: fc.constantFrom(...BASE64URL_CHARS, '.', '=', '+', '/', ' ', '%', '"'),
});

function mutate(token: string, edit: { op: string; at: number; char: string }, other: string) {
  const at = edit.at % (token.length + 1);
  switch (edit.op) {
    case 'replace':
      return token.slice(0, at) + edit.char + token.slice(at + 1);
    case 'insert':
      return token.slice(0, at) + edit.char + token.slice(at);
    case 'delete':
      return token.slice(0, at) + token.slice(at + 1);
    case 'truncate':
      return token.slice(0, at);
    default: {
      // One segment taken from a token of the other kind (an admission's payload under a
      // ticket's header and signature, and so on).
      const parts = token.split('.');
      const index = edit.at % 3;
      parts[index] = other.split('.')[index]!;
      return parts.join('.');
    }
  }
}

/** What the forged inputs borrow from the real thing, to get past the cheaper checks. */
type Known = Pick<TokenFixture, 'kid' | 'issuer' | 'room' | 'audience'>;

/** Inputs of every shape: noise, forged tokens and mutations of the genuine `tokens`. */
function hostileInput(fx: Known, tokens: Record<TokenKind, string>) {
  const forgedHeader = fc.record(
    {
      alg: fc.constantFrom('EdDSA', 'none', 'HS256', 'RS256', 'ES256', 'dir', ''),
      typ: fc.constantFrom(TOKEN_TYPES.ticket, TOKEN_TYPES.admission, 'JWT', 'at+jwt'),
      kid: fc.oneof(fc.constant(fx.kid), fc.string({ maxLength: 40 })),
      crit: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
      b64: fc.boolean(),
    },
    { requiredKeys: ['alg'] },
  );
  const forgedClaims = fc.record(
    {
      iss: fc.oneof(fc.constant(fx.issuer), fc.string({ maxLength: 20 })),
      sub: fc.string({ maxLength: 20 }),
      room: fc.oneof(fc.constant(fx.room), fc.string({ maxLength: 20 })),
      seq: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 })),
      aud: fc.oneof(fc.constant(fx.audience), fc.string({ maxLength: 20 })),
      jti: fc.string({ maxLength: 20 }),
      iat: fc.integer(),
      exp: fc.integer(),
    },
    { requiredKeys: [] },
  );
  const anyToken = fc.oneof(
    fc.string({ maxLength: 200, unit: 'binary' }).map((text) => ({ text, from: null })),
    // Other spellings of a genuine signature's last character: lax base64 decoders read some
    // of them as the very same bytes.
    fc
      .tuple(fc.constantFrom<TokenKind>('ticket', 'admission'), fc.constantFrom(...BASE64URL_CHARS))
      .map(([kind, last]) => ({ text: tokens[kind].slice(0, -1) + last, from: kind })),
    fc
      .tuple(base64urlSegment, base64urlSegment, base64urlSegment)
      .map((parts) => ({ text: parts.join('.'), from: null })),
    fc.tuple(forgedHeader, forgedClaims, base64urlSegment).map(([header, claims, signature]) => ({
      text: `${encodeSegment(header)}.${encodeSegment(claims)}.${signature}`,
      from: null,
    })),
    fc
      .tuple(
        fc.constantFrom<TokenKind>('ticket', 'admission'),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
      )
      .map(([kind, edits]) => {
        const other = tokens[kind === 'ticket' ? 'admission' : 'ticket'];
        let text = tokens[kind];
        for (const edit of edits) text = mutate(text, edit, other);
        return { text, from: kind };
      }),
  );
  return anyToken;
}

describe('fuzzing the ticket and admission parsers', () => {
  let fx: TokenFixture;
  let tokens: Record<TokenKind, string>;
  before(async () => {
    fx = await createTokenFixture();
    tokens = { ticket: await genuine(fx, 'ticket'), admission: await genuine(fx, 'admission') };
  });

  it(`accepts only tokens we signed and refuses the rest with a token code (${RUNS} cases)`, async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(hostileInput(fx, tokens), async ({ text }) => {
        for (const kind of ['ticket', 'admission'] as const) {
          const outcome = await parse(fx, kind, text);
          if (outcome.accepted) {
            assert.equal(text, tokens[kind], 'the only accepted input is the genuine token itself');
            assert.equal(outcome.seq, 7);
          } else {
            assert.match(outcome.code, /^token_[a-z_]+$/);
            refused += 1;
          }
        }
      }),
      { numRuns: RUNS },
    );
    assert.ok(refused > RUNS, 'almost everything was refused');
  });
});

describe('fuzzing the server endpoints that take tokens', () => {
  let server: TestServer;
  let tokens: Record<TokenKind, string>;
  let known: Known;
  before(async () => {
    server = await startTestServer();
    const visitor = await join(server);
    await server.service.advance('demo', 1);
    tokens = {
      ticket: visitor.json.ticket as string,
      admission: (await admit(server, visitor.json.ticket)).json.admission as string,
    };
    const [current] = server.signer.exportKeys();
    known = { kid: current!.kid, issuer: server.origin, room: 'demo', audience: server.origin };
  });
  after(() => server.close());

  it('never answers 5xx nor accepts a forged or mutated token over HTTP', async () => {
    // Header-safe inputs only: what a client can actually put in `Authorization: Bearer`.
    const headerSafe = /^[\x21-\x7e]*$/;
    await fc.assert(
      fc.asyncProperty(
        hostileInput(known, tokens).filter(({ text }) => headerSafe.test(text)),
        async ({ text }) => {
          const admitted = await admit(server, text);
          if (text === tokens.ticket) {
            // The genuine ticket: admitted, or told its admission was used once the fuzzer
            // happened to send the genuine admission to the booking backend.
            assert.ok(
              admitted.status === 200 || admitted.json.error.code === 'admission_used',
              `the genuine ticket got ${admitted.status}`,
            );
          } else {
            assert.equal(admitted.status, 401, `admit answered ${admitted.status}`);
            assert.match(admitted.json.error.code, /^token_/);
          }
          const booked = await fetch(`${server.url}/demo/book`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${text}` },
          });
          const body = (await booked.json()) as { error?: { code: string } };
          if (text === tokens.admission) assert.ok([200, 409].includes(booked.status));
          else {
            assert.equal(booked.status, 401, `book answered ${booked.status}`);
            assert.match(body.error!.code, /^token_/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
