/**
 * The operator's operations: configure a room, read its live figures, move the line by hand,
 * change its status, rotate the signing keys, and the per-room gauges of `/metrics`.
 */
import type { RoomStatus } from '../../protocol.js';
import { admissionFigures } from '../admission-control.js';
import { ApiError } from '../api-error.js';
import { keyRotationFor } from '../keys/key-rotation.js';
import type { PublishedKeys } from '../token-signer.js';
import type { RoomGauges } from '../metrics.js';
import { checkIdentityKeys } from '../identity/identity-settings.js';
import { mergeRoomConfig, parseRoomConfigPatch } from '../room-config.js';
import { measuredRate } from '../room-timeline.js';
import type { RoomRecord } from '../store/queue-store.js';
import { refuseBeaconChange, refuseBeaconPostponement, waitsForBeacon } from './beacon.js';
import { changingRoomConfig } from './room-config-lock.js';
import { roomNotFound } from './context.js';
import type { ServiceContext } from './context.js';
import type { PutRoomResult, RoomStats } from './types.js';

/** Most places one admin `advance` may move. */
export const MAX_ADVANCE_BY = 1_000_000;

/** A room's configuration with its live figures. */
export async function statsOf(context: ServiceContext, record: RoomRecord): Promise<RoomStats> {
  const { store, now, claimGraceMs, publicOrigin } = context;
  const at = now();
  const activity = await store.getActivity(record.room, at);
  const draw = record.config.opensAt !== null ? await store.getDraw(record.room) : null;
  const figures = admissionFigures({
    now: at,
    serving: record.serving,
    issued: record.issued,
    claims: activity.claims,
    advances: activity.advances,
    claimGraceMs,
  });
  return {
    room: record.room,
    status: record.status,
    config: record.config,
    effectiveAudience: record.config.audience ?? publicOrigin,
    serving: record.serving,
    issued: record.issued,
    waiting: Math.max(0, record.issued - record.serving),
    ratePerSec: measuredRate(activity.advances, record.serving, at),
    pending: figures.pending,
    active: figures.active,
    claimsLastMinute: figures.claimsLastMinute,
    createdAt: record.createdAt,
    preOpen: draw && (draw.drawnAt === null || waitsForBeacon(draw)) ? draw.entrants.length : 0,
  };
}

/** Creates or reconfigures a room; a scheduled opening's draw is committed at once. */
export async function putRoom(
  context: ServiceContext,
  room: string,
  body: unknown,
): Promise<PutRoomResult> {
  const { store, gate, now } = context;
  const patch = parseRoomConfigPatch(body, now());
  await checkIdentityKeys(patch.identity);
  // From the checks to the write, no other change of the room may come in between: it would
  // be undone by this write of the whole configuration as read here.
  const { record, created } = await changingRoomConfig(store, room, async () => {
    await refuseBeaconChange(store, room, patch);
    await refuseBeaconPostponement(store, room, patch);
    await refuseOpeningRemoval(store, room, patch);
    const existing = await store.getRoom(room);
    const written = await store.putRoomConfig(
      room,
      mergeRoomConfig(existing?.config ?? null, patch),
      now(),
    );
    // The commitment is published before anyone can arrive for the opening.
    await gate.commitIfScheduled(written, now());
    return { record: written, created: existing === null };
  });
  return { stats: await statsOf(context, record), created };
}

/**
 * Refuses `opensAt: null` for a room that has an opening draw: the draw orders its pre-open
 * visitors only at an opening, so removing it would leave every one of them without a place
 * (and their pre-open tickets renewed forever). Moving `opensAt` (to now, to open at once)
 * keeps the draw.
 *
 * @throws ApiError `invalid_body` (400)
 */
async function refuseOpeningRemoval(
  store: ServiceContext['store'],
  room: string,
  patch: { opensAt?: number | null },
): Promise<void> {
  if (patch.opensAt !== null) return;
  if ((await store.getDraw(room)) === null) return;
  throw new ApiError(
    400,
    'invalid_body',
    'This room has an opening draw: opensAt can be moved (to now, to open at once), not removed.',
  );
}

/** Moves the room's `serving` forward by `by` places. */
export async function advance(
  context: ServiceContext,
  room: string,
  by: number,
): Promise<RoomStats> {
  if (!Number.isInteger(by) || by < 1 || by > MAX_ADVANCE_BY) {
    throw new ApiError(400, 'invalid_body', `"by" must be an integer from 1 to ${MAX_ADVANCE_BY}.`);
  }
  const record = await context.requireRoom(room);
  const at = context.now();
  // Never into a draw that waits for its beacon value: its seqs have no visitor yet.
  if (record.config.opensAt !== null) await context.gate.settle(record, at);
  const held = context.gate.heldBelow(room);
  const to = Math.max(record.serving, Math.min(record.serving + by, held ?? Infinity));
  const moved = (await context.store.advanceServing(room, to, at)) ?? record;
  await context.refreshRate(moved, at);
  return statsOf(context, moved);
}

/** Opens, pauses or closes the room. */
export async function setStatus(
  context: ServiceContext,
  room: string,
  status: RoomStatus,
): Promise<RoomStats> {
  await context.requireRoom(room);
  const record = await context.store.setRoomStatus(room, status, context.now());
  if (!record) throw roomNotFound(room);
  return statsOf(context, record);
}

/** Makes the published next key current and publishes a new next key, for every process. */
export function rotateKeys(context: ServiceContext): Promise<PublishedKeys> {
  return keyRotationFor(context.store, context.signer, context.now).rotate();
}

/** Every room's figures, for `/metrics`. */
export async function gauges(context: ServiceContext): Promise<RoomGauges[]> {
  const all: RoomGauges[] = [];
  for (const record of await context.store.listRooms()) {
    const stats = await statsOf(context, record);
    all.push({
      room: record.room,
      waiting: stats.waiting,
      serving: stats.serving,
      issued: stats.issued,
      active: stats.active,
      pending: stats.pending,
      ratePerSec: stats.ratePerSec,
      open: record.status === 'open',
    });
  }
  return all;
}
