/**
 * Errors a `QueueStore` may throw that the server answers in a particular way.
 *
 * Why a class of its own: when a shared store (Redis) cannot be reached, the right answer is
 * `503 overloaded` with `Retry-After` at once, never a hang and never a generic `500`, so that
 * clients back off and keep their tickets. The app maps this class, whatever the store.
 */
/**
 * The store could not be reached or did not answer in time; the operation may be retried.
 *
 * @example
 * ```ts
 * try {
 *   await store.getRoom('demo');
 * } catch (error) {
 *   if (error instanceof StoreUnavailableError) return retryLater(error.retryAfterSeconds);
 *   throw error;
 * }
 * ```
 */
export class StoreUnavailableError extends Error {
  /** Seconds after which a retry is worth trying (sent as `Retry-After`). */
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? 2;
  }
}

/**
 * The operation needs a room that does not exist (`recordClaim`, `bookPlace`); every store
 * throws this one class, so callers need not know which store they talk to.
 */
export class RoomNotFoundError extends Error {
  /** The room asked for. */
  readonly room: string;

  constructor(room: string) {
    super(`No room ${room}`);
    this.name = 'RoomNotFoundError';
    this.room = room;
  }
}
