/**
 * The clock allowance each admission's claims were verified with, so that `consumeAdmission`
 * remembers the place for as long as the verifier would still accept an admission of it, even
 * when the caller does not pass the same allowance twice.
 */
import type { AdmissionClaims } from '../protocol.js';

const allowances = new WeakMap<AdmissionClaims, number>();

/** Records that `claims` were accepted with `toleranceSec` of clock allowance. */
export function rememberVerifiedTolerance(claims: AdmissionClaims, toleranceSec: number): void {
  allowances.set(claims, toleranceSec);
}

/** @returns the allowance `claims` were verified with, or `undefined` for claims made elsewhere. */
export function verifiedToleranceOf(claims: AdmissionClaims): number | undefined {
  return allowances.get(claims);
}
