/**
 * `POST /admin/rooms/:room/beacon`: the value of the beacon round a room's draw is bound to,
 * as the admin read it from the beacon at or after the opening. Taken once: the same value again
 * is answered like the first time, a different one is refused, so the order never changes.
 */
import type { DrawBeacon, FairnessBeacon } from '../../protocol.js';
import { ApiError } from '../api-error.js';
import { parseBeaconValue } from '../draw-beacon.js';
import type { RoomConfigPatch } from '../room-config.js';
import type { DrawRecord, QueueStore } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';

/** What the beacon endpoint answers: the draw's beacon with its value, and the draw's size. */
export interface BeaconAnswer {
  room: string;
  beacon: FairnessBeacon;
  /** When the draw froze its entrants, epoch ms. */
  drawnAt: number;
  /** How many pre-open tickets the draw orders. */
  entrantCount: number;
}

/**
 * Stores the draw's beacon value once the draw froze, and orders the draw at once here (every
 * other process within a second).
 *
 * @throws ApiError `invalid_body` (400) for a malformed body, value or a round other than the
 *   committed one; `beacon_not_configured` (409) for a room whose draw has no beacon;
 *   `beacon_too_early` (409) before the opening; `beacon_conflict` (409) when another value is set
 */
export async function supplyBeacon(
  context: ServiceContext,
  room: string,
  body: Record<string, unknown>,
): Promise<BeaconAnswer> {
  const { store, gate, now } = context;
  const record = await context.requireRoom(room);
  const committed = (await store.getDraw(room))?.beacon ?? null;
  if (committed === null) {
    throw new ApiError(
      409,
      'beacon_not_configured',
      'This room has no draw bound to a beacon: set "beacon" together with "opensAt".',
    );
  }
  if (body.round !== committed.round) {
    throw new ApiError(
      400,
      'invalid_body',
      `"round" must be ${committed.round}: the round of beacon "${committed.id}" the draw's commitment named.`,
    );
  }
  const value = parseBeaconValue(body.value);
  const at = now();
  // Freezes the entrants first if the opening is due: the value never goes in before that.
  await gate.settle(record, at);
  const draw = await store.setDrawBeacon(room, value, at);
  if (draw === null || draw.drawnAt === null) {
    throw new ApiError(
      409,
      'beacon_too_early',
      'The draw takes its beacon value at or after the opening, once its entrants are frozen.',
    );
  }
  if (draw.beaconValue !== value) {
    throw new ApiError(
      409,
      'beacon_conflict',
      'This draw already has a different beacon value; a draw is ordered once and never again.',
    );
  }
  await gate.learn(room, draw);
  return {
    room,
    beacon: { ...committed, value },
    drawnAt: draw.drawnAt,
    entrantCount: new Set(draw.entrants).size,
  };
}

const sameRound = (a: DrawBeacon | null, b: DrawBeacon | null): boolean =>
  a === b || (a !== null && b !== null && a.id === b.id && a.round === b.round && a.url === b.url);

/**
 * Refuses a room setting `beacon` other than the one the room's draw was committed with: the
 * commitment named it (or none) before anyone arrived, and what it named never changes.
 *
 * @throws ApiError `beacon_conflict` (409)
 */
export async function refuseBeaconChange(
  store: Pick<QueueStore, 'getDraw'>,
  room: string,
  patch: RoomConfigPatch,
): Promise<void> {
  if (patch.beacon === undefined) return;
  const draw = await store.getDraw(room);
  if (draw === null || sameRound(draw.beacon ?? null, patch.beacon)) return;
  throw new ApiError(
    409,
    'beacon_conflict',
    draw.beacon
      ? `The draw's commitment named round ${draw.beacon.round} of beacon "${draw.beacon.id}"; it never changes.`
      : "This room's draw was committed without a beacon; a room has one draw, and it stays so.",
  );
}

/**
 * Refuses moving the opening of a draw bound to a beacon round past the opening its commitment
 * was made for, while its entrants are not frozen yet. The round was chosen to come out after
 * that opening; a later freeze could come after the round's value is public, so whoever knows
 * it (the operator too) could register tickets, or keep those, that land first, and the signed
 * record would still pass every check. Moving it earlier, or back, keeps the promise.
 *
 * @throws ApiError `beacon_conflict` (409)
 */
export async function refuseBeaconPostponement(
  store: Pick<QueueStore, 'getDraw'>,
  room: string,
  patch: RoomConfigPatch,
): Promise<void> {
  if (typeof patch.opensAt !== 'number') return;
  const draw = await store.getDraw(room);
  if (!draw?.beacon || draw.drawnAt !== null || patch.opensAt <= draw.opensAt) return;
  throw new ApiError(
    409,
    'beacon_conflict',
    `The draw is bound to round ${draw.beacon.round} of beacon "${draw.beacon.id}", chosen to come out after the opening of ${new Date(draw.opensAt).toISOString()}; the opening can move earlier, not later.`,
  );
}

/** Whether a draw froze its entrants and waits for its beacon value: nobody is ordered yet. */
export function waitsForBeacon(draw: DrawRecord): boolean {
  return draw.drawnAt !== null && Boolean(draw.beacon) && !draw.beaconValue;
}
