/**
 * The one verification routine behind both the server's tickets and the booking side's
 * admissions, so that the two can never drift apart in what they accept.
 */
import { decodeJwt, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTPayload, JWTVerifyGetKey, KeyObject } from 'jose';
import { LIMITS, TOKEN_TYPES } from '../protocol.js';
import type { AdmissionClaims, TicketClaims } from '../protocol.js';
import { TokenError } from './errors.js';
import { tokenErrorCodeOf } from './token-error-code.js';

/** The only signing algorithm queue-gate issues or accepts (Ed25519). */
export const TOKEN_ALGORITHM = 'EdDSA';

/** Default allowance for clock differences between signer and verifier, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 10;

/** A verification key, or a function that picks one from the token's header (a key set). */
export type TokenKey = CryptoKey | KeyObject | JWK | JWTVerifyGetKey;

/** What a token must match besides its signature. */
export interface TokenExpectations {
  /** The room the token must be for. */
  room: string;
  /** Expected `iss`; when absent, `iss` must still be present. */
  issuer?: string;
  /** Allowance for clock differences, in seconds (default {@link DEFAULT_CLOCK_TOLERANCE_SEC}). */
  clockToleranceSec?: number;
  /** Clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /**
   * Accept a token past its `exp` (every other check still applies): for the queue server's
   * own tickets, whose place may outlive them. Never for admissions.
   */
  acceptExpired?: boolean;
}

/**
 * Verifies a ticket or an admission: size first (before any parsing), then signature with the
 * algorithm pinned, `typ`, issuer, audience, times and every claim's presence and shape.
 *
 * @throws {TokenError} for every refusal; other errors (an unreachable key set, a broken key)
 *   are rethrown as they are because they are not the token's fault
 */
export function verifySignedToken(
  token: unknown,
  kind: 'ticket',
  key: TokenKey,
  expected: TokenExpectations,
): Promise<TicketClaims>;
export function verifySignedToken(
  token: unknown,
  kind: 'admission',
  key: TokenKey,
  expected: TokenExpectations & { audience: string },
): Promise<AdmissionClaims>;
export async function verifySignedToken(
  token: unknown,
  kind: 'ticket' | 'admission',
  key: TokenKey,
  expected: TokenExpectations & { audience?: string },
): Promise<TicketClaims | AdmissionClaims> {
  if (token === undefined || token === null || token === '') throw new TokenError('token_missing');
  if (typeof token !== 'string') throw new TokenError('token_malformed');
  if (token.length > LIMITS.maxTokenLength) throw new TokenError('token_too_large');
  if (!isCanonicalCompactJws(token)) throw new TokenError('token_malformed');

  const tolerance = expected.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  const nowMs = (expected.now ?? Date.now)();
  const required = ['iss', 'sub', 'room', 'seq', 'iat', 'exp'];
  if (kind === 'admission') required.push('aud', 'jti', 'placeExp');
  // An expired ticket is checked as of an instant it was valid, so that every other check runs.
  const checkedAt =
    expected.acceptExpired === true && kind === 'ticket' ? validInstant(token, nowMs) : nowMs;

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
      algorithms: [TOKEN_ALGORITHM],
      typ: TOKEN_TYPES[kind],
      issuer: expected.issuer,
      audience: kind === 'admission' ? expected.audience : undefined,
      clockTolerance: tolerance,
      currentDate: new Date(checkedAt),
      requiredClaims: required,
    }));
  } catch (error) {
    const code = tokenErrorCodeOf(error);
    if (code === undefined) throw error;
    throw new TokenError(code);
  }
  return checkClaims(payload, kind, expected.room, nowMs / 1000 + tolerance);
}

/** `now`, or the last instant before the token's `exp` when that is earlier (a signed claim). */
function validInstant(token: string, nowMs: number): number {
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number' && Number.isFinite(exp)) return Math.min(nowMs, exp * 1000 - 1000);
  } catch {
    // Not decodable: the verification below refuses it with its own code.
  }
  return nowMs;
}

/** An identity hash: base64url of an HMAC-SHA256 (43 characters; see `identity-hash.ts`). */
const IDENTITY_HASH = /^[A-Za-z0-9_-]{43}$/;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Empty is left to the JOSE library, so an `alg: none` token keeps its own refusal code.
const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * Only the one encoding our signer produces is accepted. Base64 decoders are forgiving (padding,
 * whitespace, stray low bits in the last character), so without this check one signed token
 * would have many spellings: harmless for the signature, but a trap for anything that keys,
 * caches or deduplicates tokens by their text. A JWE (five parts) is refused here too.
 */
function isCanonicalCompactJws(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every(isCanonicalBase64url);
}

/** Unpadded base64url whose last character carries no stray bits (web APIs only: edge-safe). */
function isCanonicalBase64url(part: string): boolean {
  if (!SEGMENT.test(part)) return false;
  const tail = part.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  const unusedBits = tail === 2 ? 16 : 4;
  return BASE64URL.indexOf(part[part.length - 1]!) % unusedBits === 0;
}

function checkClaims(
  payload: JWTPayload,
  kind: 'ticket' | 'admission',
  room: string,
  latestIat: number,
): TicketClaims | AdmissionClaims {
  const { iss, sub, seq, iat, exp, aud, jti } = payload;
  const placeExp = payload['placeExp'];
  const tokenRoom = payload['room'];
  const pre = payload['pre'];
  const cohort = payload['cohort'];
  const idh = payload['idh'];
  // Only a pre-open ticket may lack a place (seq 0): the opening draw gives it one later.
  const preOpen = kind === 'ticket' && pre === true && seq === 0;
  const wellFormed =
    typeof iss === 'string' &&
    isNonEmptyString(sub) &&
    isNonEmptyString(tokenRoom) &&
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    (seq >= 1 || preOpen) &&
    (pre === undefined || preOpen) &&
    (cohort === undefined || isNonEmptyString(cohort)) &&
    (idh === undefined || (typeof idh === 'string' && IDENTITY_HASH.test(idh))) &&
    typeof iat === 'number' &&
    Number.isFinite(iat) &&
    typeof exp === 'number' &&
    (kind === 'ticket' ||
      (isNonEmptyString(aud) &&
        isNonEmptyString(jti) &&
        typeof placeExp === 'number' &&
        Number.isSafeInteger(placeExp) &&
        placeExp >= exp));
  if (!wellFormed) throw new TokenError('token_malformed');
  // jose checks `iat` only together with a maximum age; a token "issued" in the future is
  // refused here so that a signer with a wrong clock cannot mint long-lived tokens.
  if (iat > latestIat) throw new TokenError('token_not_yet_valid');
  if (tokenRoom !== room) throw new TokenError('token_wrong_room');
  const base = {
    iss,
    sub,
    room: tokenRoom,
    seq,
    iat,
    exp,
    ...(preOpen ? { pre: true as const } : {}),
    ...(typeof cohort === 'string' ? { cohort } : {}),
    ...(typeof idh === 'string' ? { idh } : {}),
  };
  return kind === 'ticket'
    ? base
    : { ...base, aud: aud as string, jti: jti as string, placeExp: placeExp as number };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
