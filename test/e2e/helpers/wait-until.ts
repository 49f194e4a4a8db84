/** Bounded polling: the one way these journeys wait for the browser or the server. */

/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** What is awaited, for the failure message. */
  what: string;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** Pause between checks (default 100 ms). */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns something other than `undefined`, and returns that.
 *
 * Why poll instead of sleeping: a fixed sleep is either too short on a slow CI machine or wastes
 * time on a fast one; a deadline keeps a broken journey from hanging the whole run.
 *
 * @throws Error naming `what` and the last value seen (or the last error thrown) on timeout
 * @example
 * ```ts
 * const gate = await waitUntil(async () => ((await readGate(page))?.status === 'waiting' ? true : undefined), {
 *   what: 'the waiting screen',
 * });
 * ```
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { what, timeoutMs = 15_000, intervalMs = 100 }: WaitUntilOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = null;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === null ? '' : ` (last error: ${String(lastError)})`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resume) => setTimeout(resume, intervalMs));
  }
}
