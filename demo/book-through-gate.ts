/**
 * Live mode's booking: the sample booking backend (`POST /demo/book?room=NAME`) called the way
 * a single-page app would, through `gate.fetch` (the admission in the `Authorization` header),
 * so the page stays put and the outcome (booked, or refused as already used) can be logged.
 */
import type { QueueGateElement } from '../src/element/queue-gate-element.js';

/** What the booking backend said. */
export interface BookingOutcome {
  ok: boolean;
  /** One line for the event log. */
  summary: string;
}

/**
 * Sends the form's fields to the sample booking backend with the gate's admission.
 *
 * @param gate - the admitted element
 * @param room - the room booked
 * @param fields - the form's fields
 * @returns the outcome; never rejects
 */
export async function bookThroughGate(
  gate: QueueGateElement,
  room: string,
  fields: URLSearchParams,
): Promise<BookingOutcome> {
  try {
    const response = await gate.fetch(`/demo/book?room=${encodeURIComponent(room)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(fields)),
    });
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string };
      seq?: number;
    } | null;
    return response.ok
      ? { ok: true, summary: `seq ${body?.seq ?? '?'}, HTTP ${response.status}` }
      : { ok: false, summary: `HTTP ${response.status} ${body?.error?.code ?? ''}`.trim() };
  } catch (error) {
    // `gate.fetch` rejects without an admission; the network may fail too.
    return { ok: false, summary: String(error) };
  }
}
