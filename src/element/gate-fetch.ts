/**
 * The body of `gate.fetch`: sends with the admission and, for a booking, ends the journey on
 * its answer while holding the admission so it is not reported as expired meanwhile.
 */
import { authorizedFetch, type FetchLike } from './authorized-fetch.js';
import { bookingOutcomeOf, isBookingRequest } from './booking-fetch.js';
import type { QueueController } from './queue-controller.js';

/**
 * Sends `input`/`init` with `Authorization: Bearer <admission>` (see `QueueGateElement.fetch`).
 *
 * @example
 * ```ts
 * const response = await gateFetch(controller, admission, '/api/bookings', { method: 'POST' }, fetch);
 * ```
 */
export async function gateFetch(
  controller: Pick<QueueController, 'holdAdmission' | 'complete'>,
  admission: string | null,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  fetchImplementation: FetchLike,
): Promise<Response> {
  if (admission === null || !isBookingRequest(input, init)) {
    return authorizedFetch(admission, input, init, fetchImplementation);
  }
  const release = controller.holdAdmission();
  try {
    const response = await authorizedFetch(admission, input, init, fetchImplementation);
    const outcome = await bookingOutcomeOf(response);
    if (outcome !== null) controller.complete(outcome);
    return response;
  } finally {
    release();
  }
}
