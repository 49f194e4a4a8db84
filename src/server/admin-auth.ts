/**
 * Bearer protection of the admin API and of `/metrics`.
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

/**
 * A synchronous check that an `Authorization` header carries `Bearer <token>`, for the places
 * that must decide before the app runs (how large a body to read, whether to shed). Its time
 * depends on the length of what was given only, never on the token, and it uses no Node API,
 * so the app stays runnable on other runtimes.
 *
 * @example
 * ```ts
 * const isAdmin = bearerMatcher(adminToken);
 * isAdmin(request.headers.authorization); // true for the admin's own requests
 * ```
 */
export function bearerMatcher(token: string): (authorization: string | undefined) => boolean {
  return (authorization) => {
    const given = bearerToken(authorization);
    if (given === null) return false;
    // Every character of what was given is compared (cycling through the token), and the
    // lengths are folded in, so no early exit tells how much of it was right.
    let difference = given.length ^ token.length;
    for (let i = 0; i < given.length; i += 1) {
      difference |= given.charCodeAt(i) ^ token.charCodeAt(i % token.length);
    }
    return difference === 0;
  };
}

/** Options of {@link adminAuth} and {@link bearerAuth}. */
export interface AdminAuthOptions {
  /** The comparison (default {@link compareAdminToken}); injectable so tests can watch it. */
  compare?: SecretCompare;
}

/** What {@link bearerAuth} protects, for its refusal. */
export interface BearerAuthScope extends AdminAuthOptions {
  /** The `realm` of `WWW-Authenticate`, e.g. `queue-gate admin`. */
  realm: string;
  /** Which token to send, for the refusal's message, e.g. `the admin token`. */
  tokenName: string;
}

/**
 * Hono middleware refusing requests without `Authorization: Bearer <token>` for one of
 * `tokens` (401 `unauthorized` with `WWW-Authenticate: Bearer`). Every request, with or
 * without a header, goes through the same comparison against every token and gets the same
 * refusal, so nothing about the tokens, nor which one matched, is learnt from timing.
 *
 * @throws TypeError when a token is shorter than 16 characters
 * @example
 * ```ts
 * app.use('/metrics', bearerAuth([adminToken, metricsToken], { realm: 'queue-gate metrics', tokenName: 'the metrics token' }));
 * ```
 */
export function bearerAuth(tokens: readonly string[], scope: BearerAuthScope): MiddlewareHandler {
  if (tokens.length === 0 || tokens.some((token) => token.length < 16)) {
    throw new TypeError('Bearer tokens must be at least 16 characters.');
  }
  const compare = scope.compare ?? compareAdminToken;
  const refusal = () =>
    new ApiError(
      401,
      'unauthorized',
      `Send ${scope.tokenName} as "Authorization: Bearer <token>".`,
      {
        'WWW-Authenticate': `Bearer realm="${scope.realm}"`,
      },
    );
  return async function bearerAuthMiddleware(c, next) {
    const given = bearerToken(c.req.header('Authorization'));
    const matches = await Promise.all(tokens.map((token) => compare(given ?? '', token)));
    if (given === null || !matches.includes(true)) throw refusal();
    await next();
  };
}

/**
 * Hono middleware refusing requests without `Authorization: Bearer <adminToken>` (401).
 *
 * @example
 * ```ts
 * app.use('/admin/*', adminAuth(process.env.QUEUE_GATE_ADMIN_TOKEN!));
 * ```
 */
export function adminAuth(adminToken: string, options: AdminAuthOptions = {}): MiddlewareHandler {
  if (adminToken.length < 16)
    throw new TypeError('The admin token must be at least 16 characters.');
  return bearerAuth([adminToken], {
    ...options,
    realm: 'queue-gate admin',
    tokenName: 'the admin token',
  });
}
