/**
 * When a place may be admitted: the turn of a seq and its hold, measured from when the line
 * reached the place (a fact the store keeps), never from anything a client holds or can renew.
 */
import { ApiError } from '../api-error.js';
import { turnOf } from '../room-timeline.js';
import type { Turn } from '../room-timeline.js';
import type { RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';

/** The turn of `seq` while its hold lasts, else null. */
export async function heldTurn(
  { store }: ServiceContext,
  room: string,
  seq: number,
  at: number,
): Promise<Turn | null> {
  const advances = await store.getAdvances(room, at);
  const turn = turnOf(advances, seq);
  if (turn === null || turn === 'forgotten' || at > turn.holdEndsAt) return null;
  return turn;
}

/** Whether the place of `seq` can still be used: waiting, or within its hold and not booked. */
export async function placeLives(
  context: ServiceContext,
  record: RoomRecord,
  seq: number,
  at: number,
): Promise<boolean> {
  if (seq > record.serving) return true;
  if ((await heldTurn(context, record.room, seq, at)) === null) return false;
  return !(await context.store.getClaim(record.room, seq, at))?.consumed;
}

/** The seq the opening draw gave a pre-open ticket; 410 when the draw does not know it. */
export function drawnOrRefuse(drawn: number | null): number {
  if (drawn === null) {
    // Only a store that lost data forgets a registration; the ticket cannot be honoured.
    throw new ApiError(410, 'hold_expired', 'This pre-open ticket is not in the opening draw.');
  }
  return drawn;
}
