/**
 * Bearer protection of the admin API.
 *
 * Why hashing before comparing: hono's `timingSafeEqual` compares SHA-256 digests of both
 * strings, so neither the token's content nor its length leaks through response timing. The
 * token is never echoed in answers or logs.
 */
import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { bearerToken } from '../verify/index.js';
import { ApiError } from './api-error.js';

/** Compares a given secret with the expected one without leaking either through timing. */
export type SecretCompare = (given: string, expected: string) => Promise<boolean>;

/** The comparison the admin API uses: hono's `timingSafeEqual` (SHA-256 both, then compare). */
export const compareAdminToken: SecretCompare = timingSafeEqual;

/** Options of {@link adminAuth}. */
export interface AdminAuthOptions {
  /** The comparison (default {@link compareAdminToken}); injectable so tests can watch it. */
  compare?: SecretCompare;
}

/**
 * Hono middleware refusing requests without `Authorization: Bearer <adminToken>` (401).
 * Every request, with or without a header, goes through the same comparison and gets the
 * same refusal, so nothing about the token is learnt from which path a request took.
 *
 * @example
 * ```ts
 * app.use('/admin/*', adminAuth(process.env.QUEUE_GATE_ADMIN_TOKEN!));
 * ```
 */
export function adminAuth(adminToken: string, options: AdminAuthOptions = {}): MiddlewareHandler {
  if (adminToken.length < 16)
    throw new TypeError('The admin token must be at least 16 characters.');
  const compare = options.compare ?? compareAdminToken;
  return async function adminAuthMiddleware(c, next) {
    const given = bearerToken(c.req.header('Authorization'));
    const ok = await compare(given ?? '', adminToken);
    if (!ok || given === null) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the admin token as "Authorization: Bearer <token>".',
        {
          'WWW-Authenticate': 'Bearer realm="queue-gate admin"',
        },
      );
    }
    await next();
  };
}
