/**
 * Checks a site's identity assertion: the short-lived JWT its backend signs for its signed-in
 * user, sent along with a join. Every refusal has its token code and is marked as being about
 * the identity (`token: "identity"`), so a client keeps its ticket and gets a fresh assertion.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import { LIMITS } from '../../protocol.js';
import type { TokenErrorCode } from '../../protocol.js';
import { TokenError } from '../../verify/errors.js';
import { tokenErrorCodeOf } from '../../verify/token-error-code.js';
import { ApiError } from '../api-error.js';
import { IDENTITY_ALGORITHMS } from './identity-algorithms.js';
import type { RoomIdentity } from './identity-settings.js';

/**
 * Longest lifetime (`exp - iat`) of an assertion: 10 minutes. An assertion is a bearer
 * credential for a place; a short one stolen from a page is worth little for long.
 */
export const MAX_ASSERTION_LIFETIME_SEC = 10 * 60;
/** Allowance for clock differences between the site's backend and the queue server. */
export const ASSERTION_CLOCK_TOLERANCE_SEC = 30;
/** Longest `sub` (the site's user id) accepted. */
export const MAX_IDENTITY_SUB_LENGTH = 256;

/** Key sets by their JSON: rooms re-read from a shared store still share one imported set. */
const keySets = new Map<string, JWTVerifyGetKey>();
const MAX_KEY_SETS = 256;

function keySetOf(identity: RoomIdentity): JWTVerifyGetKey {
  const id = JSON.stringify(identity.jwks);
  let set = keySets.get(id);
  if (set === undefined) {
    if (keySets.size >= MAX_KEY_SETS) keySets.clear();
    set = createLocalJWKSet(identity.jwks as JSONWebKeySet);
    keySets.set(id, set);
  }
  return set;
}

/** The readable 401 of a refused assertion, marked as about the identity. */
export function identityRefusal(code: TokenErrorCode): ApiError {
  const message = new TokenError(code).message.replace(/^The token/, 'The identity assertion');
  return new ApiError(401, code, message, {}, { token: 'identity' });
}

function checkedSub(payload: JWTPayload, nowSec: number): string {
  const { sub, exp, iat } = payload;
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_IDENTITY_SUB_LENGTH) {
    throw new TokenError('token_missing_claim');
  }
  if (typeof exp !== 'number') throw new TokenError('token_missing_claim');
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
    throw new TokenError('token_malformed');
  }
  if (typeof iat === 'number' && iat > nowSec + ASSERTION_CLOCK_TOLERANCE_SEC) {
    throw new TokenError('token_not_yet_valid');
  }
  // Without `iat`, the lifetime left is what counts: no assertion may be good for longer.
  const lifetime = exp - (typeof iat === 'number' ? iat : nowSec);
  if (lifetime > MAX_ASSERTION_LIFETIME_SEC + ASSERTION_CLOCK_TOLERANCE_SEC) {
    throw new TokenError('token_lifetime_too_long');
  }
  return sub;
}

/**
 * The `sub` of a valid assertion for `identity`: signature with the site's keys and a pinned
 * asymmetric algorithm, `iss`, `aud` when configured, `exp` (required, not past, at most
 * {@link MAX_ASSERTION_LIFETIME_SEC} of lifetime), `sub`, and at most
 * `LIMITS.maxIdentityLength` characters.
 *
 * @throws ApiError 401 with the token code and `token: "identity"` for any refusal
 */
export async function verifyIdentityAssertion(
  assertion: string,
  identity: RoomIdentity,
  now: number,
): Promise<string> {
  try {
    if (assertion === '') throw new TokenError('token_missing');
    if (assertion.length > LIMITS.maxIdentityLength) throw new TokenError('token_too_large');
    const { payload } = await jwtVerify(assertion, keySetOf(identity), {
      algorithms: [...IDENTITY_ALGORITHMS],
      issuer: identity.issuer,
      ...(identity.audience !== undefined ? { audience: identity.audience } : {}),
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SEC,
      currentDate: new Date(now),
      requiredClaims: ['sub', 'exp'],
    });
    return checkedSub(payload, Math.floor(now / 1000));
  } catch (error) {
    const code = tokenErrorCodeOf(error);
    if (code === undefined) throw error;
    throw identityRefusal(code);
  }
}
