/** What both middlewares do once they hold a token: verify it, then use it up. */
import type { AdmissionClaims } from '../../protocol.js';
import { consumeAdmission } from '../single-use.js';
import type { SingleUseStore } from '../single-use.js';
import { verifyAdmission } from '../verify-admission.js';
import type { VerifyAdmissionOptions } from '../verify-admission.js';

/** Options of the admission middlewares: verification options plus where used ids are kept. */
export interface AdmissionMiddlewareOptions extends VerifyAdmissionOptions {
  /** Where used admission ids are kept (default: one in-memory store per middleware). */
  store?: SingleUseStore;
}

/**
 * Verifies `token` and consumes it in `store`.
 *
 * @throws {AdmissionError} for a missing, invalid or already used admission
 */
export async function guardAdmission(
  token: string | null,
  options: VerifyAdmissionOptions,
  store: SingleUseStore,
): Promise<AdmissionClaims> {
  const claims = await verifyAdmission(token, options);
  await consumeAdmission(claims, store, { clockToleranceSec: options.clockToleranceSec });
  return claims;
}
