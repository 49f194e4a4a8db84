/**
 * What the engine may believe of the ticket in shared storage. localStorage is editable by
 * anyone with DevTools (or a "skip the line" script): a lowered `seq`, a forged ticket, a
 * made-up admission. The server refuses the forgeries, but a refusal discards the ticket, so a
 * forgery would also throw away the visitor's real place. The engine therefore keeps a second
 * copy of what the server itself handed this tab (the witness, in sessionStorage and memory),
 * prefers it where the two disagree on what only the server can say, and falls back to it when
 * the server refuses a ticket that is not the one it gave.
 */
import type { StoredTicket } from './ticket-store.js';

/**
 * Reconciles the shared stored record with this tab's witness before a start.
 *
 * - Same ticket: `seq` and the admission come from the witness (the server's own answers), so
 *   a hand-edited `seq` or admission is never shown, not even while joining.
 * - Different tickets: the stored ticket may be another tab's legitimate newer one, so it is
 *   tried first; but an admission next to a ticket this tab cannot vouch for is dropped, and
 *   the server is asked again (admission is idempotent, so a real one comes back unchanged).
 * - No witness (a new tab or session): nothing to compare with; the stored record is used and
 *   the server's answers correct it. Nothing stored: a fresh start.
 *
 * @param stored - the record in shared storage, if any
 * @param witness - the record the server gave this tab, if any
 * @returns the record to start from
 * @example
 * ```ts
 * const start = reconcileStoredTicket(store.load(), witness.load());
 * ```
 */
export function reconcileStoredTicket(
  stored: StoredTicket | null,
  witness: StoredTicket | null,
): StoredTicket | null {
  // Nothing stored is not a forgery to undo: the visitor (or a privacy tool) cleared the site's
  // data, and a stale witness must not resurrect a ticket the server may have refused since.
  if (!stored || !witness) return stored;
  if (stored.ticket === witness.ticket) {
    const { admission: _a, admissionExpiresAt: _e, ...ticketOnly } = stored;
    return {
      ...ticketOnly,
      seq: witness.seq,
      ticketExpiresAt: witness.ticketExpiresAt,
      ...(witness.admission !== undefined && witness.admissionExpiresAt !== undefined
        ? { admission: witness.admission, admissionExpiresAt: witness.admissionExpiresAt }
        : {}),
    };
  }
  const { admission: _a, admissionExpiresAt: _e, ...ticketOnly } = stored;
  return ticketOnly;
}

/**
 * The ticket to fall back to when the server refused `refused`: the witness's, if it is a
 * different ticket (else the refusal stands: the server's own ticket was refused).
 *
 * @param refused - the ticket the server just declared unusable
 * @param witness - the record the server gave this tab, if any
 * @returns the witness record to rejoin with, or null
 */
export function fallbackTicket(refused: string, witness: StoredTicket | null): StoredTicket | null {
  return witness && witness.ticket !== refused ? witness : null;
}
