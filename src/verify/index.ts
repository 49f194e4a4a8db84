/**
 * queue-gate's booking-side verifier: what a booking backend imports to let a visitor through
 * only with a valid admission from the queue server, and only once.
 *
 * It needs no secret: admissions are Ed25519-signed, and the queue server publishes its public
 * keys at `/.well-known/jwks.json`. It depends on `jose` and the wire protocol only.
 *
 * @example Express (or plain `node:http`)
 * ```ts
 * import { requireAdmission } from 'queue-gate/verify';
 *
 * app.post(
 *   '/book',
 *   requireAdmission({
 *     jwksUrl: 'https://queue.example.com/.well-known/jwks.json',
 *     issuer: 'https://queue.example.com',
 *     audience: 'https://tickets.example.com',
 *     room: 'launch',
 *   }),
 *   (req, res) => res.json({ booked: req.queueAdmission!.seq }),
 * );
 * ```
 *
 * @example Any Fetch API server
 * ```ts
 * import {
 *   AdmissionError, consumeAdmission, createMemorySingleUseStore,
 *   readAdmissionFromRequest, verifyAdmission,
 * } from 'queue-gate/verify';
 *
 * const store = createMemorySingleUseStore();
 * async function book(request: Request): Promise<Response> {
 *   try {
 *     const claims = await verifyAdmission(await readAdmissionFromRequest(request), options);
 *     await consumeAdmission(claims, store);
 *     return Response.json({ booked: claims.seq });
 *   } catch (error) {
 *     if (error instanceof AdmissionError) return Response.json(error.toJSON(), { status: error.status });
 *     throw error;
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */
export { verifyAdmission } from './verify-admission.js';
export type { AdmissionIdentity, VerifyAdmissionOptions } from './verify-admission.js';
export { identityHash } from './identity-hash.js';
export type { IdentityHashInput } from './identity-hash.js';
export { admissionPlaceKey, consumeAdmission, createMemorySingleUseStore } from './single-use.js';
export type {
  MemorySingleUseStore,
  MemorySingleUseStoreOptions,
  SingleUseStore,
} from './single-use.js';
export { AdmissionError, TokenError, admissionErrorStatus } from './errors.js';
export type { AdmissionErrorCode, AdmissionErrorStatus } from './errors.js';
export { bearerToken, readAdmissionFromRequest } from './read-admission.js';
export { requireAdmission } from './adapters/node.js';
export type { AdmissionMiddleware, AdmissionRequest } from './adapters/node.js';
export { queueAdmission } from './adapters/hono.js';
export type { QueueAdmissionVariables } from './adapters/hono.js';
export type { AdmissionMiddlewareOptions } from './adapters/guard-admission.js';
export type { AdmissionCorsOptions } from './adapters/cors.js';
export { DEFAULT_CLOCK_TOLERANCE_SEC, TOKEN_ALGORITHM } from './verify-signed-token.js';
export type { AdmissionClaims, TokenErrorCode } from '../protocol.js';
export { ADMISSION_FIELD, TOKEN_TYPES } from '../protocol.js';
