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

/**
 * Hono middleware refusing requests without `Authorization: Bearer <adminToken>` (401).
 *
 * @example
 * ```ts
 * app.use('/admin/*', adminAuth(process.env.QUEUE_GATE_ADMIN_TOKEN!));
 * ```
 */
export function adminAuth(adminToken: string): MiddlewareHandler {
  if (adminToken.length < 16)
    throw new TypeError('The admin token must be at least 16 characters.');
  return async function adminAuthMiddleware(c, next) {
    const given = bearerToken(c.req.header('Authorization'));
    const ok = given !== null && (await timingSafeEqual(given, adminToken));
    if (!ok) {
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
