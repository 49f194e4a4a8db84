/**
 * The refusal matrix, shared by the signer's tests (tickets) and the verifier's tests
 * (admissions) so that both sides are held to the same list of attacks and mistakes.
 */
import type { JWK, JWTPayload } from 'jose';
import { LIMITS, TOKEN_TYPES } from '../../../src/protocol.js';
import type { TokenErrorCode } from '../../../src/protocol.js';
import { createTokenSigner } from '../../../src/server/token-signer.js';
import type { TokenSigner } from '../../../src/server/token-signer.js';
import {
  encodeSegment,
  foreignPrivateJwk,
  hs256WithPublicKey,
  signWith,
  tamper,
  unsecured,
} from './token-forge.js';

export type TokenKind = 'ticket' | 'admission';

/** A signer on a controllable clock, with its key at hand for crafting tokens. */
export interface TokenFixture {
  issuer: string;
  room: string;
  audience: string;
  clock: { now: number };
  ticketTtlSeconds: number;
  admissionTtlSeconds: number;
  signer: TokenSigner;
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** 2026-01-01T00:00:00Z: a fixed start so that every run signs the same times. */
export const START_MS = Date.UTC(2026, 0, 1);

/** @returns a fresh signer on a fake clock starting at {@link START_MS}. */
export async function createTokenFixture(): Promise<TokenFixture> {
  const clock = { now: START_MS };
  const ticketTtlSeconds = 3600;
  const admissionTtlSeconds = 120;
  const signer = await createTokenSigner({
    issuer: 'https://queue.test',
    now: () => clock.now,
    ticketTtlSeconds,
    admissionTtlSeconds,
  });
  const [stored] = signer.exportKeys();
  return {
    issuer: 'https://queue.test',
    room: 'launch',
    audience: 'https://book.test',
    clock,
    ticketTtlSeconds,
    admissionTtlSeconds,
    signer,
    kid: stored!.kid,
    privateJwk: stored!.privateJwk,
    publicJwk: stored!.publicJwk,
  };
}

/** What a booking backend passes to `verifyAdmission` to trust the fixture's admissions. */
export function verifyOptionsFor(fx: TokenFixture) {
  return {
    jwks: fx.signer.jwks(),
    room: fx.room,
    audience: fx.audience,
    issuer: fx.issuer,
    now: () => fx.clock.now,
  };
}

/** Signs a genuine token of `kind` with the fixture's signer. */
export async function genuine(
  fx: TokenFixture,
  kind: TokenKind,
  overrides: { room?: string; aud?: string; seq?: number } = {},
): Promise<string> {
  const base = { sub: 'visitor-1', room: overrides.room ?? fx.room, seq: overrides.seq ?? 7 };
  if (kind === 'ticket') return (await fx.signer.signTicket(base)).token;
  return (await fx.signer.signAdmission({ ...base, aud: overrides.aud ?? fx.audience })).token;
}

/** Claims a genuine token of `kind` would carry now. */
export function claimsFor(fx: TokenFixture, kind: TokenKind): JWTPayload {
  const iat = Math.floor(fx.clock.now / 1000);
  const claims: JWTPayload = { iss: fx.issuer, sub: 'visitor-1', room: fx.room, seq: 7, iat };
  if (kind === 'ticket') return { ...claims, exp: iat + fx.ticketTtlSeconds };
  const exp = iat + fx.admissionTtlSeconds;
  return { ...claims, aud: fx.audience, jti: 'jti-1', exp, placeExp: exp + 300 };
}

/** Signs arbitrary claims with the server's real key and the right header for `kind`. */
export function signAsServer(
  fx: TokenFixture,
  kind: TokenKind,
  claims: JWTPayload,
): Promise<string> {
  return signWith(fx.privateJwk, { typ: TOKEN_TYPES[kind], kid: fx.kid }, claims);
}

function without(claims: JWTPayload, name: string): JWTPayload {
  const copy = { ...claims };
  delete copy[name];
  return copy;
}

/** One way a token must be refused, and the code it must be refused with. */
export interface RefusalCase {
  /** Completes "refuses ..." in the test name. */
  name: string;
  code: TokenErrorCode;
  /** The kinds the case applies to (both when absent). */
  only?: TokenKind;
  /** Makes the token; may move `fx.clock` to the moment of verification. */
  make(fx: TokenFixture, kind: TokenKind): Promise<string>;
}

const MISSING_CLAIMS: { claim: string; only?: TokenKind }[] = [
  { claim: 'iss' },
  { claim: 'sub' },
  { claim: 'room' },
  { claim: 'seq' },
  { claim: 'iat' },
  { claim: 'exp' },
  { claim: 'aud', only: 'admission' },
  { claim: 'jti', only: 'admission' },
  { claim: 'placeExp', only: 'admission' },
];

/** Every refusal both the signer and the verifier must make, each with its own code. */
export const REFUSAL_CASES: readonly RefusalCase[] = [
  {
    name: 'a token with a tampered claim',
    code: 'token_bad_signature',
    make: async (fx, kind) => tamper(await genuine(fx, kind), { seq: 1 }),
  },
  {
    name: "a token signed by another key under the server's kid",
    code: 'token_bad_signature',
    make: async (fx, kind) =>
      signWith(
        await foreignPrivateJwk(),
        { typ: TOKEN_TYPES[kind], kid: fx.kid },
        claimsFor(fx, kind),
      ),
  },
  {
    name: 'an unsecured token (alg: none)',
    code: 'token_alg_not_allowed',
    make: async (fx, kind) =>
      unsecured({ typ: TOKEN_TYPES[kind], kid: fx.kid }, claimsFor(fx, kind)),
  },
  {
    name: 'an HS256 token keyed with the public key',
    code: 'token_alg_not_allowed',
    make: async (fx, kind) =>
      hs256WithPublicKey(
        fx.publicJwk,
        { typ: TOKEN_TYPES[kind], kid: fx.kid },
        claimsFor(fx, kind),
      ),
  },
  {
    name: 'a token signed by an unknown kid',
    code: 'token_unknown_kid',
    make: async (fx, kind) =>
      signWith(
        await foreignPrivateJwk(),
        { typ: TOKEN_TYPES[kind], kid: 'not-a-server-key' },
        claimsFor(fx, kind),
      ),
  },
  {
    name: 'a token without a kid',
    code: 'token_unknown_kid',
    make: async (fx, kind) =>
      signWith(fx.privateJwk, { typ: TOKEN_TYPES[kind] }, claimsFor(fx, kind)),
  },
  {
    name: 'an expired token',
    code: 'token_expired',
    make: async (fx, kind) => {
      const token = await genuine(fx, kind);
      const ttl = kind === 'ticket' ? fx.ticketTtlSeconds : fx.admissionTtlSeconds;
      // Past the expiry plus the 10 s clock tolerance.
      fx.clock.now += (ttl + 11) * 1000;
      return token;
    },
  },
  {
    name: 'a token issued in the future beyond the clock tolerance',
    code: 'token_not_yet_valid',
    make: async (fx, kind) => {
      fx.clock.now += 60_000;
      const token = await genuine(fx, kind);
      fx.clock.now -= 60_000;
      return token;
    },
  },
  {
    name: 'a token whose nbf is in the future beyond the clock tolerance',
    code: 'token_not_yet_valid',
    make: async (fx, kind) => {
      const claims = claimsFor(fx, kind);
      return signAsServer(fx, kind, { ...claims, nbf: claims.iat! + 60 });
    },
  },
  {
    name: 'a token for another room',
    code: 'token_wrong_room',
    make: (fx, kind) => genuine(fx, kind, { room: 'other-room' }),
  },
  {
    name: 'a token of the other type (ticket for admission, admission for ticket)',
    code: 'token_wrong_type',
    make: (fx, kind) => genuine(fx, kind === 'ticket' ? 'admission' : 'ticket'),
  },
  {
    name: 'a token without a typ header',
    code: 'token_wrong_type',
    make: (fx, kind) => signWith(fx.privateJwk, { kid: fx.kid }, claimsFor(fx, kind)),
  },
  {
    name: 'a token from another issuer, even under the same key',
    code: 'token_wrong_issuer',
    make: (fx, kind) =>
      signAsServer(fx, kind, { ...claimsFor(fx, kind), iss: 'https://evil.test' }),
  },
  {
    name: 'an admission for another audience',
    code: 'token_wrong_audience',
    only: 'admission',
    make: (fx, kind) => genuine(fx, kind, { aud: 'https://other-shop.test' }),
  },
  {
    name: 'garbage that is not a JWS',
    code: 'token_malformed',
    make: async () => 'not-a-token',
  },
  {
    name: 'a well-formed header over a payload and signature that are not base64url',
    code: 'token_malformed',
    make: async (fx, kind) =>
      `${encodeSegment({ alg: 'EdDSA', typ: TOKEN_TYPES[kind], kid: fx.kid })}.!!!.###`,
  },
  {
    name: 'a header that is not JSON',
    code: 'token_malformed',
    make: async () => `${Buffer.from('{not json').toString('base64url')}.e30.AAAA`,
  },
  {
    name: 'an empty token',
    code: 'token_missing',
    make: async () => '',
  },
  {
    name: 'an oversized token of garbage, before trying to parse it',
    code: 'token_too_large',
    make: async () => 'x'.repeat(LIMITS.maxTokenLength + 1),
  },
  {
    name: 'an oversized token even when its signature is genuine',
    code: 'token_too_large',
    make: (fx, kind) =>
      signAsServer(fx, kind, { ...claimsFor(fx, kind), pad: 'p'.repeat(LIMITS.maxTokenLength) }),
  },
  ...MISSING_CLAIMS.map(({ claim, only }): RefusalCase => ({
    name: `a token without its ${claim} claim`,
    code: 'token_missing_claim',
    only,
    make: (fx, kind) => signAsServer(fx, kind, without(claimsFor(fx, kind), claim)),
  })),
  ...[0, 2.5, '7'].map((seq): RefusalCase => ({
    name: `a token whose seq is ${JSON.stringify(seq)}`,
    code: 'token_malformed',
    make: (fx, kind) => signAsServer(fx, kind, { ...claimsFor(fx, kind), seq }),
  })),
];
