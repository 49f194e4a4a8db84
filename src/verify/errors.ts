/**
 * Errors of token verification, with stable codes and messages that are safe to show.
 *
 * Messages come from fixed tables, never from the token or from the JOSE library, so that a
 * log line or an error body can never echo a token (or a claim of one) back to whoever sent it.
 */
import type { TokenErrorCode } from '../protocol.js';

const TOKEN_MESSAGES: Record<TokenErrorCode, string> = {
  token_missing: 'No token was sent.',
  token_malformed: 'The token is not a well-formed signed token.',
  token_too_large: 'The token is too large.',
  token_bad_signature: 'The token signature does not verify.',
  token_alg_not_allowed: 'The token uses a signing algorithm that is not allowed.',
  token_unknown_kid: 'The token was signed with an unknown key.',
  token_expired: 'The token has expired.',
  token_not_yet_valid: 'The token is not valid yet.',
  token_wrong_type: 'The token is of the wrong type.',
  token_wrong_room: 'The token belongs to another room.',
  token_wrong_audience: 'The token was issued for another audience.',
  token_wrong_issuer: 'The token was issued by another issuer.',
  token_missing_claim: 'The token lacks a required claim.',
  token_wrong_cohort: 'The token was issued for another cohort.',
  token_lifetime_too_long: 'The token lives longer than allowed; sign one with a shorter lifetime.',
  token_wrong_identity: 'The token belongs to another person.',
};

/**
 * A token (ticket or admission) was refused.
 *
 * @example
 * ```ts
 * try {
 *   await signer.verifyTicket(token, { room });
 * } catch (error) {
 *   if (error instanceof TokenError) console.warn(error.code); // e.g. 'token_expired'
 * }
 * ```
 */
export class TokenError extends Error {
  /** Why the token was refused; stable, safe to send to the client. */
  readonly code: TokenErrorCode;

  /**
   * @param code - why the token was refused
   * @param message - override of the default message; must never contain the token
   */
  constructor(code: TokenErrorCode, message: string = TOKEN_MESSAGES[code]) {
    super(message);
    this.name = 'TokenError';
    this.code = code;
  }
}

/**
 * Why a booking backend refused a request that should carry an admission: a token refusal,
 * an admission already used, or a request it could not read. `internal` means the verifier
 * itself could not work (for example, the JWKS endpoint was unreachable): not the visitor's
 * fault, so it is answered with 503 rather than 401.
 */
export type AdmissionErrorCode =
  TokenErrorCode | 'admission_used' | 'body_too_large' | 'invalid_body' | 'internal';

/** HTTP status with which each kind of admission refusal is answered. */
export type AdmissionErrorStatus = 400 | 401 | 409 | 413 | 503;

const ADMISSION_MESSAGES: Record<Exclude<AdmissionErrorCode, TokenErrorCode>, string> = {
  admission_used: 'This place in line has already been used to book.',
  body_too_large: 'The request body is too large.',
  invalid_body: 'The request body could not be read.',
  internal: 'The admission could not be verified right now; try again shortly.',
};

const STATUS_BY_CODE: Partial<Record<AdmissionErrorCode, AdmissionErrorStatus>> = {
  admission_used: 409,
  body_too_large: 413,
  invalid_body: 400,
  internal: 503,
};

/** @returns the HTTP status for an admission refusal code (401 for every token refusal). */
export function admissionErrorStatus(code: AdmissionErrorCode): AdmissionErrorStatus {
  return STATUS_BY_CODE[code] ?? 401;
}

/**
 * A booking backend refused a request: no valid admission, or one already used.
 *
 * @example
 * ```ts
 * try {
 *   const claims = await verifyAdmission(token, options);
 *   await consumeAdmission(claims, store);
 * } catch (error) {
 *   if (error instanceof AdmissionError) {
 *     return Response.json(error.toJSON(), { status: error.status });
 *   }
 *   throw error;
 * }
 * ```
 */
export class AdmissionError extends Error {
  /** Stable reason code, safe to send to the client. */
  readonly code: AdmissionErrorCode;
  /** HTTP status to answer with: 401 (no valid admission), 409 (already used), 400/413/503. */
  readonly status: AdmissionErrorStatus;

  /**
   * @param code - why the request was refused
   * @param message - override of the default message; must never contain the token
   */
  constructor(code: AdmissionErrorCode, message?: string) {
    super(message ?? admissionMessage(code));
    this.name = 'AdmissionError';
    this.code = code;
    this.status = admissionErrorStatus(code);
  }

  /** @returns the JSON error body of the wire protocol: `{ error: { code, message } }`. */
  toJSON(): { error: { code: AdmissionErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

function admissionMessage(code: AdmissionErrorCode): string {
  return code in TOKEN_MESSAGES
    ? TOKEN_MESSAGES[code as TokenErrorCode]
    : ADMISSION_MESSAGES[code as Exclude<AdmissionErrorCode, TokenErrorCode>];
}
