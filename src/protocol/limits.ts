/** Limits both sides share, and the poll schedule that server and client compute alike. */

/**
 * The hardest join proof of work (leading zero bits of SHA-256) a client solves: about 16
 * million hashes, tens of seconds on a slow phone. A server must never ask for more, or it locks out
 * every new visitor.
 */
export const MAX_JOIN_POW_BITS = 24;

/** Name of the hidden form field that carries the admission into a booking form. */
export const ADMISSION_FIELD = 'queue_admission';

/** Size limits shared by both sides: a client never sends more, a server never reads more. */
export const LIMITS = {
  /** Longest token accepted anywhere, in characters. */
  maxTokenLength: 4096,
  /**
   * Longest identity assertion accepted, in characters: the site mints it, and may put a few
   * claims of its own in it.
   */
  maxIdentityLength: 8192,
  /** Largest request body the server reads, in bytes: room for an assertion and a ticket. */
  maxBodyBytes: 16384,
} as const;

/**
 * Poll scheduling bounds (milliseconds). The server directs the interval; these keep a buggy or
 * hostile answer from making a client hammer the origin or fall asleep.
 */
export const POLL_BOUNDS = {
  minMs: 1000,
  maxMs: 60000,
} as const;

/**
 * The poll interval for a visitor `position` places from the front, given the room's base
 * interval (`pollAfterMs` of a state answer, meant for the front of the line).
 *
 * Why this shape: a visitor whose turn is hours away learns nothing new from a poll every few
 * seconds, and a million of them polling every 3 s would be 333,000 requests/s. The interval
 * therefore grows with the expected time to the front (a tenth of it, so the visitor still
 * sees the line move several times before their turn), and with distance alone when the rate
 * is unknown, up to `POLL_BOUNDS.maxMs`. Server and client share this function so that the
 * `pollAfterMs` of a join answer and the client's own scaling of a state answer agree.
 *
 * @param position - places ahead of the visitor (0 at the front)
 * @param ratePerSec - places per second the line moves (0 when stopped or unknown)
 * @param baseMs - the room's interval for the front of the line
 * @returns milliseconds to wait before the next poll, before jitter
 */
export function pollIntervalFor(position: number, ratePerSec: number, baseMs: number): number {
  const base = Math.min(Math.max(baseMs, POLL_BOUNDS.minMs), POLL_BOUNDS.maxMs);
  const ahead = Math.max(0, Number.isFinite(position) ? position : 0);
  if (ahead === 0) return base;
  const byDistance = base * (1 + Math.log2(1 + ahead / 25));
  const byTime = ratePerSec > 0 ? ((ahead / ratePerSec) * 1000) / 10 : 0;
  return Math.round(Math.min(POLL_BOUNDS.maxMs, Math.max(base, byDistance, byTime)));
}
