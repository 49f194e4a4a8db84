/**
 * Where the draw put one ticket, recomputed from the revealed seed and, for a draw bound to a
 * beacon, the round's value (see `opening-draw.ts`).
 */
import type { FairnessDraw, TicketClaims } from '../../protocol.js';
import { drawnSeqs } from '../opening-draw.js';

/**
 * Checks a ticket's place against the draw: a pre-open ticket's `sub` must be among the
 * entrants, and an ordinary ticket of an entrant must hold the seq the draw gave it; any other
 * ticket must be behind the whole draw. While a draw waits for its beacon value, only the first
 * and the last can be checked.
 */
export async function checkTicketPlace(
  claims: TicketClaims,
  draw: FairnessDraw | null,
): Promise<{ ok: boolean; detail: string }> {
  if (draw === null || draw.seed === null || draw.entrants === null) {
    return claims.pre === true
      ? { ok: true, detail: 'pre-open ticket; the draw has not run yet' }
      : { ok: true, detail: `seq ${claims.seq}; this room has no finished draw` };
  }
  const beacon = draw.beacon ?? null;
  const waits =
    beacon !== null && beacon.value === null
      ? `; the draw waits for round ${beacon.round} of beacon "${beacon.id}"`
      : null;
  const seqs =
    waits === null
      ? await drawnSeqs(draw.seed, draw.entrants, draw.base, beacon?.value)
      : new Map(draw.entrants.map((sub) => [sub, null]));
  const drawn = seqs.get(claims.sub);
  const size = seqs.size;
  if (drawn === undefined) {
    if (claims.pre === true) {
      return {
        ok: false,
        detail: `your pre-open ticket (${claims.sub}) is not among the entrants`,
      };
    }
    return {
      ok: claims.seq > draw.base + size,
      detail: `seq ${claims.seq}: not in the draw, so behind its seqs ${draw.base + 1}–${draw.base + size}${waits ?? ''}`,
    };
  }
  if (drawn === null) {
    return { ok: claims.pre === true, detail: `one of the ${size} entrants${waits}` };
  }
  const position = `drawn ${drawn - draw.base} of ${size} (seq ${drawn})`;
  if (claims.pre === true) return { ok: true, detail: position };
  return {
    ok: claims.seq === drawn,
    detail: `${position}; your ticket holds seq ${claims.seq}`,
  };
}
