/**
 * Asking the page for the visitor's identity assertion (a short-lived JWT the site's backend
 * signs for its signed-in user). The site's provider is outside the engine's control: it may
 * throw, hang or answer nonsense, and none of that may stall the line, so each of those counts
 * as "not signed in".
 */
import { LIMITS } from '../protocol.js';
import type { Clock, TimerHandle } from './clock.js';

/**
 * The page's source of the visitor's identity assertion: a fresh one when asked, or null when
 * the visitor is not signed in.
 */
export type IdentityProvider = () => Promise<string | null>;

/**
 * Asks `provider` for an assertion, giving up after `timeoutMs` or when `signal` aborts.
 *
 * @returns the assertion, or null when there is none (no provider, not signed in, a failure,
 * too slow, or not a string of 1 to `LIMITS.maxIdentityLength` characters)
 */
export async function askIdentity(
  provider: IdentityProvider | null,
  options: { clock: Clock; timeoutMs: number; signal: AbortSignal },
): Promise<string | null> {
  if (!provider) return null;
  const { clock, timeoutMs, signal } = options;
  let timer: TimerHandle | undefined;
  let onAbort = () => {};
  const giveUp = new Promise<null>((resolve) => {
    timer = clock.setTimeout(() => resolve(null), timeoutMs);
    onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort);
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(provider), giveUp]);
    // The server checks the rest; an empty or oversized answer is not worth a request.
    return typeof answer === 'string' && answer && answer.length <= LIMITS.maxIdentityLength
      ? answer
      : null;
  } catch {
    return null;
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
