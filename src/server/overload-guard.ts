/**
 * Sheds load instead of queueing it: past `maxInFlight` requests at once, new ones get an
 * immediate `503 overloaded` with `Retry-After`. A surge then makes clients back off (they
 * keep their tickets on 5xx), rather than making every request slow until all of them time out.
 *
 * Only work the server is doing counts. A request waiting for its client (a body still on its
 * way, awaited through the `awaitClient` the guard puts on the context) costs a socket, not
 * capacity; counting it let one address with a few thousand slow bodies make the server shed
 * everyone else.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError, errorResponse } from './api-error.js';
import type { QueueAppEnv } from './app-env.js';

/** Options of {@link overloadGuard}. */
export interface OverloadGuardOptions {
  /** Most requests handled at once (default 2048). */
  maxInFlight?: number;
  /** Seconds clients are told to wait (default 2). */
  retryAfterSeconds?: number;
  /**
   * Requests never shed (nor counted): the operator's own, so that a flood cannot keep the
   * admin from pausing or closing the room it floods.
   */
  exempt?: (c: Context<QueueAppEnv>) => boolean;
}

const MESSAGE =
  'The queue server is busy. Try again shortly; a ticket you already hold keeps its place.';

/**
 * Hono middleware answering `503 overloaded` past `maxInFlight` concurrent requests.
 *
 * @example
 * ```ts
 * app.use('/rooms/*', overloadGuard({ maxInFlight: 1000 }));
 * ```
 */
export function overloadGuard(options: OverloadGuardOptions = {}): MiddlewareHandler<QueueAppEnv> {
  const maxInFlight = options.maxInFlight ?? 2048;
  const retryAfter = String(options.retryAfterSeconds ?? 2);
  let inFlight = 0;
  return async function overloadGuardMiddleware(c, next) {
    if (options.exempt?.(c)) return next();
    if (inFlight >= maxInFlight) {
      return errorResponse(503, 'overloaded', MESSAGE, { 'Retry-After': retryAfter });
    }
    inFlight += 1;
    let counted = true;
    c.set('awaitClient', async (waiting) => {
      if (counted) {
        inFlight -= 1;
        counted = false;
      }
      const result = await waiting;
      // Back to work: the server may have filled up meanwhile.
      if (inFlight >= maxInFlight) {
        throw new ApiError(503, 'overloaded', MESSAGE, { 'Retry-After': retryAfter });
      }
      inFlight += 1;
      counted = true;
      return result;
    });
    try {
      await next();
    } finally {
      if (counted) inFlight -= 1;
    }
  };
}
