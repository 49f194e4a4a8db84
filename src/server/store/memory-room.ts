/**
 * One room of the embedded store and the rules that change it, as pure functions: the live
 * store (`memory-store.ts`) and the journal replay (`store-journal.ts`) both change rooms only
 * through these, so a replayed change ends exactly where the live one did.
 */
import { prunableAdvances } from '../room-timeline.js';
import { claimHolds, claimPrunable } from './claim-rules.js';
import type { RoomSnapshot } from './memory-snapshot.js';
import type {
  AdvanceRecord,
  ClaimCapacity,
  ClaimRecord,
  RoomConfig,
  RoomRecord,
} from './queue-store.js';

/** A room's state: its record and the history the rules read. */
export interface RoomState {
  record: RoomRecord;
  /** Seqs up to this one may already have been handed out. */
  reservedSeq: number;
  /** Moves of `serving`, oldest first. */
  advances: AdvanceRecord[];
  /** Claims by seq. */
  claims: Map<number, ClaimRecord>;
  /** Booked places: seq → until when the booking is remembered (epoch ms). */
  booked: Map<number, number>;
}

/** A new room: open, serving 0, with the move that says so. */
export function newRoomState(room: string, config: RoomConfig, now: number): RoomState {
  return {
    record: {
      room,
      config: cloneConfig(config),
      status: 'open',
      serving: 0,
      issued: 0,
      createdAt: now,
      version: 1,
    },
    reservedSeq: 0,
    advances: [{ at: now, serving: 0, holdSeconds: config.holdSeconds }],
    claims: new Map(),
    booked: new Map(),
  };
}

/** Whether place `seq` is booked (and still remembered) at `now`. */
export function isBooked(state: RoomState, seq: number, now: number): boolean {
  const keepUntil = state.booked.get(seq);
  return keepUntil !== undefined && keepUntil > now;
}

/** Claims outstanding (unexpired, unconsumed) other than the one for `seq`. */
export function activeClaims(state: RoomState, seq: number, now: number): number {
  let active = 0;
  for (const claim of state.claims.values()) {
    if (claim.seq !== seq && !claim.consumed && claim.expiresAt > now) active += 1;
  }
  return active;
}

/**
 * What recording `claim` at `now` comes to: the claim that holds the seq already (booked or
 * unexpired or consumed), `'full'` when the capacity is used up, or `'record'`.
 */
export function claimDecision(
  state: RoomState,
  claim: ClaimRecord,
  now: number,
  capacity?: ClaimCapacity,
): { holder: ClaimRecord | null; booked: boolean } | 'full' | 'record' {
  const existing = state.claims.get(claim.seq) ?? null;
  if (isBooked(state, claim.seq, now)) return { holder: existing, booked: true };
  if (existing && claimHolds(existing, now)) return { holder: existing, booked: false };
  if (capacity && activeClaims(state, claim.seq, now) + capacity.reserved >= capacity.maxActive) {
    return 'full';
  }
  return 'record';
}

/** Stores `claim` for its seq (consumed when the place is booked); returns the stored copy. */
export function putClaim(state: RoomState, claim: ClaimRecord): ClaimRecord {
  const booked = isBooked(state, claim.seq, claim.claimedAt);
  const stored = { ...claim, consumed: claim.consumed || booked };
  state.claims.set(claim.seq, stored);
  return stored;
}

/** Books place `seq` until `keepUntil` and marks its claim consumed. */
export function markBooked(state: RoomState, seq: number, keepUntil: number): void {
  state.booked.set(seq, keepUntil);
  const claim = state.claims.get(seq);
  if (claim) claim.consumed = true;
}

/** Raises `serving` to `serving` with the move recorded; false (nothing changed) if not higher. */
export function pushAdvance(state: RoomState, advance: AdvanceRecord): boolean {
  if (advance.serving <= state.record.serving) return false;
  state.record = { ...state.record, serving: advance.serving };
  state.advances.push({ ...advance });
  return true;
}

/** Drops history no rule can need any more at `now`, keeping memory and snapshots bounded. */
export function pruneRoom(state: RoomState, now: number): void {
  const drop = prunableAdvances(state.advances, now);
  if (drop > 0) state.advances.splice(0, drop);
  for (const [seq, keepUntil] of state.booked) if (keepUntil <= now) state.booked.delete(seq);
  const hold = state.record.config.holdSeconds;
  for (const [seq, claim] of state.claims) {
    if (claimPrunable(claim, hold, now)) state.claims.delete(seq);
    // The expired token itself is dropped to keep snapshots small.
    else if (claim.expiresAt <= now && claim.admission !== '') claim.admission = '';
  }
}

/** A room as read from a snapshot (moves recorded before holds were kept get the room's). */
export function roomFromSnapshot(room: RoomSnapshot): RoomState {
  return {
    record: { ...room.record, config: cloneConfig(room.record.config) },
    reservedSeq: room.reservedSeq,
    advances: room.advances.map((advance) => ({
      ...advance,
      holdSeconds: advance.holdSeconds ?? room.record.config.holdSeconds,
    })),
    claims: new Map(room.claims.map((claim) => [claim.seq, { ...claim }])),
    booked: new Map(room.booked ?? []),
  };
}

/** A room as a snapshot holds it. */
export function roomToSnapshot(state: RoomState): RoomSnapshot {
  return {
    record: { ...state.record, config: cloneConfig(state.record.config) },
    reservedSeq: state.reservedSeq,
    advances: state.advances.map((advance) => ({ ...advance })),
    claims: [...state.claims.values()].map((claim) => ({ ...claim })),
    booked: [...state.booked.entries()],
  };
}

export function cloneConfig(config: RoomConfig): RoomConfig {
  const copy = { ...config, allowedOrigins: [...config.allowedOrigins] };
  if (config.cohorts) copy.cohorts = config.cohorts.map((cohort) => ({ ...cohort }));
  return copy;
}
