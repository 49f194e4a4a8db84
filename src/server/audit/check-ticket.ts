/** Where the draw put one ticket, recomputed from the revealed seed (see `opening-draw.ts`). */
import type { FairnessDraw, TicketClaims } from '../../protocol.js';
import { drawnSeqs } from '../opening-draw.js';

/**
 * Checks a ticket's place against the draw: a pre-open ticket's `sub` must be among the
 * entrants, and an ordinary ticket of an entrant must hold the seq the draw gave it; any other
 * ticket must be behind the whole draw.
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
  const seqs = await drawnSeqs(draw.seed, draw.entrants, draw.base);
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
      detail: `seq ${claims.seq}: not in the draw, so behind its seqs ${draw.base + 1}–${draw.base + size}`,
    };
  }
  const position = `drawn ${drawn - draw.base} of ${size} (seq ${drawn})`;
  if (claims.pre === true) return { ok: true, detail: position };
  return {
    ok: claims.seq === drawn,
    detail: `${position}; your ticket holds seq ${claims.seq}`,
  };
}
