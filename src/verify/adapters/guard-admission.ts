/** What both middlewares do once they hold a token: verify it, then use it up. */
import type { AdmissionClaims } from '../../protocol.js';
import { AdmissionError } from '../errors.js';
import type { AdmissionCorsOptions } from './cors.js';
import { consumeAdmission } from '../single-use.js';
import type { SingleUseStore } from '../single-use.js';
import { verifyAdmission } from '../verify-admission.js';
import type { AdmissionIdentity, VerifyAdmissionOptions } from '../verify-admission.js';

/**
 * Options of the admission middlewares: verification options plus where used ids are kept.
 * `Request` is what the middleware is handed (Node's request, or Hono's context).
 */
export interface AdmissionMiddlewareOptions<Request = never> extends Omit<
  VerifyAdmissionOptions,
  'identity'
> {
  /** Where used admission ids are kept (default: one in-memory store per middleware). */
  store?: SingleUseStore;
  /**
   * Pages on other origins that may call the guarded routes (see `AdmissionCorsOptions`): the
   * middleware then answers their preflight and adds CORS headers to every answer, refusals
   * included. Absent: no CORS headers, and a preflight goes through the admission check.
   */
  cors?: AdmissionCorsOptions;
  /**
   * The person each request's admission must belong to, usually read from the site's own
   * session: the admission is refused with `token_wrong_identity` unless its place is bound
   * to them. A function returning `undefined` (nobody signed in) refuses every admission.
   */
  identity?:
    | AdmissionIdentity
    | ((
        request: Request,
      ) => AdmissionIdentity | undefined | Promise<AdmissionIdentity | undefined>);
}

/**
 * Verifies `token` and consumes it in `store`.
 *
 * @throws {AdmissionError} for a missing, invalid or already used admission
 */
export async function guardAdmission<Request>(
  token: string | null,
  options: AdmissionMiddlewareOptions<Request>,
  store: SingleUseStore,
  request: Request,
): Promise<AdmissionClaims> {
  const { identity: identityOption, cors: _cors, ...verifyOptions } = options;
  const identity =
    typeof identityOption === 'function' ? await identityOption(request) : identityOption;
  // Asked to check a person, and nobody is signed in: no admission can be theirs.
  if (identityOption !== undefined && identity === undefined) {
    throw new AdmissionError('token_wrong_identity');
  }
  const claims = await verifyAdmission(token, {
    ...verifyOptions,
    ...(identity !== undefined ? { identity } : {}),
  });
  await consumeAdmission(claims, store, { clockToleranceSec: options.clockToleranceSec });
  return claims;
}
