/**
 * An optional cap on new places per client per minute.
 *
 * Why only new places, and off by default: a bot that takes thousands of places pushes real
 * visitors back, so operators may cap it; but whole mobile networks share one address behind
 * carrier NAT, so no default fits every site. Rejoining with a ticket is never limited: a
 * visitor's place must survive any number of reloads.
 */
import { ApiError } from './api-error.js';

/** Options of {@link createJoinRateLimit}. */
export interface JoinRateLimitOptions {
  /** New places one client may take per minute. */
  perMinute: number;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** Counts new places per client key in fixed one-minute windows. */
export interface JoinRateLimit {
  /**
   * Counts one new place for `key`.
   *
   * @throws ApiError 429 `rate_limited` with `Retry-After` past the limit
   */
  take(key: string): void;
}

const WINDOW_MS = 60_000;

/**
 * Creates the limiter; memory holds one counter per client seen in the current minute.
 *
 * @example
 * ```ts
 * createQueueApp({ service, adminToken, joinRateLimit: createJoinRateLimit({ perMinute: 20 }), clientKey });
 * ```
 */
export function createJoinRateLimit(options: JoinRateLimitOptions): JoinRateLimit {
  const now = options.now ?? Date.now;
  let windowStart = 0;
  let counts = new Map<string, number>();
  return {
    take(key) {
      const at = now();
      if (at - windowStart >= WINDOW_MS) {
        windowStart = at - (at % WINDOW_MS);
        counts = new Map();
      }
      const used = (counts.get(key) ?? 0) + 1;
      if (used > options.perMinute) {
        const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - at) / 1000));
        throw new ApiError(
          429,
          'rate_limited',
          'Too many new places from this client; try again shortly.',
          {
            'Retry-After': String(retryAfter),
          },
        );
      }
      counts.set(key, used);
    },
  };
}
