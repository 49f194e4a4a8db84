/**
 * Loads the Redis module on demand. Why lazily: `ioredis` is an optional peer dependency, so a
 * single-process server with the embedded store must start without it installed, and one that
 * asks for Redis without it must say what to install instead of a module-resolution trace.
 */

/** What a process that asks for Redis without `ioredis` installed is told. */
export const IOREDIS_MISSING_MESSAGE =
  'The Redis store needs the ioredis package: install ioredis to use QUEUE_GATE_REDIS_URL (npm install ioredis).';

/** Thrown when Redis is asked for and `ioredis` is not installed. */
export class IoredisMissingError extends Error {
  constructor(cause: unknown) {
    super(IOREDIS_MISSING_MESSAGE, { cause });
    this.name = 'IoredisMissingError';
  }
}

/** Whether `error` is the failed resolution of the `ioredis` package itself. */
export function isIoredisMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    /['"]ioredis['"]/.test(message)
  );
}

/**
 * Runs `load` (a dynamic import of a module that needs `ioredis`), turning a missing `ioredis`
 * into an {@link IoredisMissingError} that says to install it; other failures pass through.
 *
 * @example
 * ```ts
 * const { RedisStore } = await loadRedisModule(() => import('./redis.js'));
 * ```
 */
export async function loadRedisModule<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isIoredisMissing(error)) throw new IoredisMissingError(error);
    throw error;
  }
}
