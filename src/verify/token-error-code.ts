/**
 * Maps what the JOSE library throws to the protocol's token refusal codes.
 *
 * Each refusal keeps its own code (an `alg: none` token is not a bad signature, an unknown key
 * is not garbage) so that operators can tell an attack from a bug in metrics and logs.
 */
import { errors } from 'jose';
import type { TokenErrorCode } from '../protocol.js';
import { TokenError } from './errors.js';

/**
 * @param error - anything thrown while verifying a token
 * @returns the refusal code, or `undefined` when the failure is not the token's fault (a
 *   misconfigured key, an unreachable JWKS endpoint) and must not be reported as a bad token
 */
export function tokenErrorCodeOf(error: unknown): TokenErrorCode | undefined {
  if (error instanceof TokenError) return error.code;
  if (!(error instanceof errors.JOSEError)) return undefined;
  switch (error.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'token_alg_not_allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token_bad_signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'token_unknown_kid';
    case 'ERR_JWT_EXPIRED':
      return 'token_expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimFailureCode(error as errors.JWTClaimValidationFailed);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'token_malformed';
    default:
      return undefined;
  }
}

function claimFailureCode(error: errors.JWTClaimValidationFailed): TokenErrorCode {
  if (error.reason === 'missing') return 'token_missing_claim';
  if (error.reason === 'invalid') return 'token_malformed';
  switch (error.claim) {
    case 'typ':
      return 'token_wrong_type';
    case 'iss':
      return 'token_wrong_issuer';
    case 'aud':
      return 'token_wrong_audience';
    case 'nbf':
    case 'iat':
      return 'token_not_yet_valid';
    default:
      return 'token_malformed';
  }
}
