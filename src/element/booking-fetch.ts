/**
 * What an answer to `gate.fetch` says about the booking. The element ends the journey on it, so
 * that a widget which just saw the booking succeed never later asks the visitor to "claim
 * admission again" for a place that is already booked.
 */
import type { BookingOutcome } from '../core/types.js';

/** Methods that read rather than book: an availability check may carry the admission too. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a `gate.fetch` call is a booking: any method other than GET, HEAD and OPTIONS.
 *
 * @param input - what `fetch` was given
 * @param init - its options
 */
export function isBookingRequest(input: RequestInfo | URL, init?: RequestInit): boolean {
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * How a booking request ended, from its answer: `booked` for any 2xx, `already-used` for a
 * `409` whose JSON error code is `admission_used` (the verifier's answer to a place booked
 * before), otherwise null (a refusal the site handles itself, such as a full date; the
 * admission stays usable). The answer's own body is left unread for the caller.
 *
 * @param response - the booking backend's answer
 */
export async function bookingOutcomeOf(response: Response): Promise<BookingOutcome | null> {
  if (response.ok) return 'booked';
  if (response.status !== 409) return null;
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } } | null;
    return body?.error?.code === 'admission_used' ? 'already-used' : null;
  } catch {
    // Not the verifier's JSON: some other conflict of the site's own.
    return null;
  }
}
