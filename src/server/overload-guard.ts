/**
 * Sheds load instead of queueing it: past `maxInFlight` requests at once, new ones get an
 * immediate `503 overloaded` with `Retry-After`. A surge then makes clients back off (they
 * keep their tickets on 5xx), rather than making every request slow until all of them time out.
 */
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './api-error.js';

/** Options of {@link overloadGuard}. */
export interface OverloadGuardOptions {
  /** Most requests handled at once (default 2048). */
  maxInFlight?: number;
  /** Seconds clients are told to wait (default 2). */
  retryAfterSeconds?: number;
}

/**
 * Hono middleware answering `503 overloaded` past `maxInFlight` concurrent requests.
 *
 * @example
 * ```ts
 * app.use('/rooms/*', overloadGuard({ maxInFlight: 1000 }));
 * ```
 */
export function overloadGuard(options: OverloadGuardOptions = {}): MiddlewareHandler {
  const maxInFlight = options.maxInFlight ?? 2048;
  const retryAfter = String(options.retryAfterSeconds ?? 2);
  let inFlight = 0;
  return async function overloadGuardMiddleware(_c, next) {
    if (inFlight >= maxInFlight) {
      return errorResponse(
        503,
        'overloaded',
        'The queue server is busy; your place is kept. Try again shortly.',
        {
          'Retry-After': retryAfter,
        },
      );
    }
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
}
