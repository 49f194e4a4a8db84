/**
 * Hono middleware that lets a request through only with a valid, unused admission. It works
 * wherever Hono runs (Node, Bun, Deno, edge workers) because it reads a Fetch API request.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AdmissionClaims } from '../../protocol.js';
import { AdmissionError } from '../errors.js';
import { readAdmissionFromRequest } from '../read-admission.js';
import { createMemorySingleUseStore } from '../single-use.js';
import { admissionCors, honoCors } from './cors.js';
import { guardAdmission } from './guard-admission.js';
import type { AdmissionMiddlewareOptions } from './guard-admission.js';

/** Context variables that {@link queueAdmission} sets. */
export interface QueueAdmissionVariables {
  queueAdmission: AdmissionClaims;
}

/**
 * Makes Hono middleware that requires an admission (bearer header, or the `queue_admission`
 * field of a urlencoded or JSON body), verifies it, consumes it once and sets
 * `c.get('queueAdmission')`. Refusals are answered `{ error: { code, message } }` with 401,
 * 409, 400/413 or 503. The body is read from a clone, so handlers can still read it.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: QueueAdmissionVariables }>();
 * app.post('/book', queueAdmission({ jwksUrl, issuer, audience, room: 'launch' }), (c) =>
 *   c.json({ booked: c.get('queueAdmission').sub }),
 * );
 * ```
 */
export function queueAdmission(
  options: AdmissionMiddlewareOptions<Context>,
): MiddlewareHandler<{ Variables: QueueAdmissionVariables }> {
  const store = options.store ?? createMemorySingleUseStore({ now: options.now });
  const cors = options.cors ? admissionCors(options.cors) : null;
  return async function queueAdmission(c, next) {
    const preflight = cors ? honoCors(cors, c) : null;
    if (preflight) return preflight;
    let claims: AdmissionClaims;
    try {
      const token = await readAdmissionFromRequest(c.req.raw);
      claims = await guardAdmission(token, options, store, c);
    } catch (error) {
      if (!(error instanceof AdmissionError)) throw error;
      c.header('cache-control', 'no-store');
      if (error.status === 401) c.header('www-authenticate', 'Bearer error="invalid_token"');
      if (error.status === 503) c.header('retry-after', '5');
      // The rest of an oversized body is never read: close the connection after the answer
      // rather than leave it waiting on an upload nobody will consume.
      if (error.code === 'body_too_large') c.header('connection', 'close');
      return c.json(error.toJSON(), error.status);
    }
    c.set('queueAdmission', claims);
    await next();
  };
}
