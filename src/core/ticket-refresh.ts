/**
 * When a waiting visitor's ticket is refreshed. A ticket lives a fixed time (a day by default);
 * a wait longer than that, or a visitor who kept an old ticket across days, would otherwise see
 * the place refused as `token_expired` at the very moment their turn came. So well before the
 * ticket runs out, the leader tab joins again with it; the server answers the same place with a
 * ticket that lives longer (or the same one, when it sees no need yet).
 *
 * All instants here are on the device clock after the engine's clock-offset correction, so the
 * remaining life is the one the server sees.
 */

/** A ticket is refreshed at the latest when this much of its life is left (one hour). */
export const TICKET_REFRESH_MAX_MS = 60 * 60 * 1000;

/**
 * A later expiry counts as a refresh only beyond this margin: the clock-offset correction moves
 * the same expiry by a few milliseconds from one answer to the next.
 */
const EXTENDED_MARGIN_MS = 60_000;

/** Below this, no more refreshes are asked for: the ticket is as good as gone. */
const MIN_REFRESH_MS = 1000;

/** Inputs of {@link nextRefreshBelow}: what the engine knew before and after a join answer. */
export interface RefreshInput {
  /** The ticket's expiry before the answer, or null when none was known. */
  previousExpiresAt: number | null;
  /** The threshold before the answer, or null. */
  previousBelowMs: number | null;
  /** The expiry of the ticket the answer carries. */
  expiresAt: number;
  /** When the answer arrived. */
  at: number;
}

/**
 * The remaining life under which the next refresh is asked for, after a join answer.
 *
 * - A new or extended ticket: a quarter of its life, or an hour, whichever is smaller (its
 *   life counted from now, which is when it was handed out).
 * - The same expiry again (the server did not refresh it): when half of what is left is gone.
 *   A server that never refreshes thus costs a handful of extra joins, not one per poll.
 *
 * @returns the threshold in ms, or null when no refresh is worth asking for
 * @example
 * ```ts
 * nextRefreshBelow({ previousExpiresAt: null, previousBelowMs: null, expiresAt: now + 86_400_000, at: now });
 * // 3_600_000: refresh when an hour is left
 * ```
 */
export function nextRefreshBelow(input: RefreshInput): number | null {
  const remaining = input.expiresAt - input.at;
  const previous = input.previousBelowMs;
  const extended =
    input.previousExpiresAt === null ||
    previous === null ||
    input.expiresAt > input.previousExpiresAt + EXTENDED_MARGIN_MS;
  let below: number;
  if (extended) below = Math.min(remaining / 4, TICKET_REFRESH_MAX_MS);
  // Asked and not refreshed: ask again once half of what is left is gone.
  else if (remaining < previous) below = remaining / 2;
  // A join for another reason (a retry) says nothing about refreshing.
  else below = previous;
  return below >= MIN_REFRESH_MS ? Math.floor(below) : null;
}

/**
 * Whether the ticket should be refreshed now: its remaining life fell under the threshold.
 *
 * @param ticketExpiresAt - the ticket's expiry (device clock, corrected)
 * @param belowMs - the threshold from {@link nextRefreshBelow}
 * @param at - now
 */
export function refreshDue(ticketExpiresAt: number | null, belowMs: number | null, at: number) {
  return ticketExpiresAt !== null && belowMs !== null && ticketExpiresAt - at < belowMs;
}
