/**
 * An optional cap on new places per client per minute.
 *
 * Why only new places, and off by default: a bot that takes thousands of places pushes real
 * visitors back, so operators may cap it; but whole mobile networks share one address behind
 * carrier NAT, so no default fits every site. Rejoining with a ticket is never limited: a
 * visitor's place must survive any number of reloads.
 */
import { ApiError } from './api-error.js';
import { MemoryNewPlaces } from './store/memory-shared.js';
import type { QueueStore } from './store/queue-store.js';

/** Options of {@link createJoinRateLimit}. */
export interface JoinRateLimitOptions {
  /** New places one client may take per minute. */
  perMinute: number;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /**
   * Where the counts are kept: the queue store, so every process sharing it (a `RedisStore`)
   * allows the limit once between them, not once each. Default: this limiter's memory.
   */
  store?: Pick<QueueStore, 'countNewPlace'>;
}

/** Counts new places per client key in fixed one-minute windows. */
export interface JoinRateLimit {
  /**
   * Counts one new place for `key`.
   *
   * @throws ApiError 429 `rate_limited` with `Retry-After` past the limit
   */
  take(key: string): Promise<void>;
}

const WINDOW_MS = 60_000;

/**
 * Creates the limiter; its store (or memory) holds one counter per client seen in the current
 * minute.
 *
 * @example
 * ```ts
 * const joinRateLimit = createJoinRateLimit({ perMinute: 20, store });
 * createQueueApp({ service, adminToken, joinRateLimit, clientKey });
 * ```
 */
export function createJoinRateLimit(options: JoinRateLimitOptions): JoinRateLimit {
  const now = options.now ?? Date.now;
  const store = options.store ?? memoryCounts();
  return {
    async take(key) {
      const { allowed, retryAfterMs } = await store.countNewPlace(
        key,
        WINDOW_MS,
        options.perMinute,
        now(),
      );
      if (allowed) return;
      throw new ApiError(
        429,
        'rate_limited',
        'Too many new places from this client; try again shortly.',
        { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
      );
    },
  };
}

/** A limiter's own counts, for a limiter made without a store. */
function memoryCounts(): Pick<QueueStore, 'countNewPlace'> {
  const counts = new MemoryNewPlaces();
  return { countNewPlace: async (...args) => counts.count(...args) };
}
