/**
 * A room of the embedded store as `memory-store.ts` holds it: its state (`memory-room.ts`) and
 * what the store needs to show only durable changes; made fresh or restored from a snapshot,
 * and the writes that change it (a seq, a move of `serving`, a configuration or status).
 */
import { newRoomState, pushAdvance, roomFromSnapshot, roomToSnapshot } from './memory-room.js';
import type { RoomState } from './memory-room.js';
import type { StoreSnapshot } from './memory-snapshot.js';
import type { SnapshotWriter } from './memory-writer.js';
import type { RoomConfig, RoomRecord } from './queue-store.js';

/** One room with its pending writes. */
export interface RoomEntry extends RoomState {
  /** The write that made `reservedSeq` durable; every seq of the block waits for it. */
  reservation: Promise<void>;
  /** `serving` as far as it is durable: what reads show (reads never wait for a disk write). */
  shownServing: number;
  /** A configuration or status change being written; reads wait for it (it is rare). */
  pendingChange: Promise<void> | null;
  /** When the room was last pruned (pruning walks every claim, so not on every request). */
  prunedAt: number;
}

/** A new room (status `open`, serving 0). */
export function newRoomEntry(room: string, config: RoomConfig, now: number): RoomEntry {
  return {
    ...newRoomState(room, config, now),
    reservation: Promise.resolve(),
    shownServing: 0,
    pendingChange: null,
    prunedAt: now,
  };
}

/** The rooms of a snapshot, numbering resumed past every seq a crash may have handed out. */
export function roomEntriesFromSnapshot(snapshot: StoreSnapshot): RoomEntry[] {
  if (snapshot.format !== 1)
    throw new Error(`Unknown store snapshot format ${String(snapshot.format)}`);
  return snapshot.rooms.map((room) => {
    const state = roomFromSnapshot(room);
    // A crash may have handed out seqs up to the reserved mark: resume past all of them.
    const issued = Math.max(state.record.issued, state.reservedSeq);
    state.record = { ...state.record, issued, version: state.record.version + 1 };
    return {
      ...state,
      reservedSeq: issued,
      reservation: Promise.resolve(),
      shownServing: state.record.serving,
      pendingChange: null,
      prunedAt: -Infinity,
    };
  });
}

export { roomToSnapshot };

/** Writes a snapshot with a (rare) configuration or status change; reads of the room wait. */
export async function writeChange(writer: SnapshotWriter, entry: RoomEntry): Promise<void> {
  const saved = writer.save();
  const pending = saved.then(
    () => undefined,
    () => undefined,
  );
  entry.pendingChange = pending;
  void pending.then(() => {
    if (entry.pendingChange === pending) entry.pendingChange = null;
  });
  await saved;
}

/** Hands out the room's next seq once the block holding it is durable. */
export async function allocateSeq(
  writer: SnapshotWriter,
  entry: RoomEntry,
  seqBlockSize: number,
): Promise<number> {
  const seq = entry.record.issued + 1;
  entry.record = { ...entry.record, issued: seq, version: entry.record.version + 1 };
  writer.dirty = true;
  if (seq > entry.reservedSeq) {
    // The block's end must be on disk before any seq of it leaves the process; if that
    // write fails, the block is given up so the next join tries to reserve again.
    const previous = entry.reservedSeq;
    const reservedSeq = seq + seqBlockSize - 1;
    entry.reservedSeq = reservedSeq;
    entry.reservation = writer
      .journal({ type: 'reserve', room: entry.record.room, reservedSeq })
      .catch((error: unknown) => {
        if (entry.reservedSeq === reservedSeq) entry.reservedSeq = previous;
        throw error;
      });
  }
  await entry.reservation;
  return seq;
}

/** Raises `serving` (see `QueueStore.advanceServing`); `prune` runs once a move is recorded. */
export async function advanceServing(
  writer: SnapshotWriter,
  entry: RoomEntry,
  to: number,
  now: number,
  prune: () => void,
): Promise<RoomRecord> {
  to = Math.min(to, entry.record.issued);
  const holdSeconds = entry.record.config.holdSeconds;
  if (pushAdvance(entry, { at: now, serving: to, holdSeconds })) {
    entry.record = { ...entry.record, version: entry.record.version + 1 };
    prune();
    const room = entry.record.room;
    await writer.journal({ type: 'advance', room, at: now, serving: to, holdSeconds });
    if (to > entry.shownServing) {
      entry.shownServing = to;
      // A new version, so cached state answers are rebuilt with the move now shown.
      entry.record = { ...entry.record, version: entry.record.version + 1 };
    }
  } else if (entry.shownServing < Math.min(to, entry.record.serving)) {
    // Another caller is writing a move to `to`: wait for it (once: it may also fail).
    await writer.journal(null).catch(() => undefined);
  }
  return { ...entry.record, serving: entry.shownServing };
}
