/**
 * The embedded store's rooms: the map of room entries and the operations on a room's line
 * (configuration, status, seqs, moves of `serving`, recent activity), with the periodic pruning
 * that keeps each room's history to its windows.
 */
import type { RoomStatus } from '../../protocol.js';
import {
  advanceServing,
  allocateSeq,
  newRoomEntry,
  roomEntriesFromSnapshot,
  roomToSnapshot,
  writeChange,
} from './memory-entry.js';
import type { RoomEntry } from './memory-entry.js';
import { cloneConfig, pruneRoom } from './memory-room.js';
import type { RoomSnapshot, StoreSnapshot } from './memory-snapshot.js';
import type { SnapshotWriter } from './memory-writer.js';
import type { AdvanceRecord, RoomActivity, RoomConfig, RoomRecord } from './queue-store.js';
import { RoomNotFoundError } from './store-errors.js';
import { SWEEP_EVERY_MS } from './store-policy.js';

/** The rooms of one embedded store. */
export class MemoryRooms {
  private readonly entries = new Map<string, RoomEntry>();

  constructor(
    private readonly writer: SnapshotWriter,
    private readonly seqBlockSize: number,
  ) {}

  /** The room's entry, or undefined. */
  entry(room: string): RoomEntry | undefined {
    return this.entries.get(room);
  }

  has(room: string): boolean {
    return this.entries.has(room);
  }

  /** The room's entry; throws {@link RoomNotFoundError} when there is none. */
  entryOrThrow(room: string): RoomEntry {
    const entry = this.entries.get(room);
    if (!entry) throw new RoomNotFoundError(room);
    return entry;
  }

  async list(): Promise<RoomRecord[]> {
    const records: RoomRecord[] = [];
    for (const entry of this.entries.values()) records.push(await this.shown(entry));
    return records;
  }

  async get(room: string): Promise<RoomRecord | null> {
    const entry = this.entries.get(room);
    return entry ? this.shown(entry) : null;
  }

  /** The room as reads see it: durable changes only, without waiting for other writes. */
  private async shown(entry: RoomEntry): Promise<RoomRecord> {
    if (entry.pendingChange) await entry.pendingChange.catch(() => undefined);
    return { ...entry.record, serving: entry.shownServing };
  }

  async putConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord> {
    let entry = this.entries.get(room);
    if (entry) {
      const version = entry.record.version + 1;
      entry.record = { ...entry.record, config: cloneConfig(config), version };
    } else {
      entry = newRoomEntry(room, config, now);
      this.entries.set(room, entry);
    }
    await writeChange(this.writer, entry);
    return { ...entry.record, serving: entry.shownServing };
  }

  async setStatus(room: string, status: RoomStatus): Promise<RoomRecord | null> {
    const entry = this.entries.get(room);
    if (!entry) return null;
    if (entry.record.status !== status) {
      entry.record = { ...entry.record, status, version: entry.record.version + 1 };
      await writeChange(this.writer, entry);
    }
    return { ...entry.record, serving: entry.shownServing };
  }

  async allocateSeq(room: string): Promise<number | null> {
    const entry = this.entries.get(room);
    return entry ? allocateSeq(this.writer, entry, this.seqBlockSize) : null;
  }

  async advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    const entry = this.entries.get(room);
    return entry ? advanceServing(this.writer, entry, to, now, () => this.prune(entry, now)) : null;
  }

  activity(room: string, now: number): RoomActivity {
    const entry = this.entries.get(room);
    if (!entry) return { claims: [], advances: [] };
    this.sweep(entry, now);
    return {
      // As in every store, activity leaves the signed admissions out: no rule reads them.
      claims: [...entry.claims.values()]
        .map((claim) => ({ ...claim, admission: '' }))
        .sort((a, b) => a.seq - b.seq),
      advances: entry.advances.map((advance) => ({ ...advance })),
    };
  }

  advances(room: string, now: number): AdvanceRecord[] {
    const entry = this.entries.get(room);
    if (!entry) return [];
    this.sweep(entry, now);
    return entry.advances.map((advance) => ({ ...advance }));
  }

  toSnapshot(): RoomSnapshot[] {
    return [...this.entries.values()].map(roomToSnapshot);
  }

  restore(snapshot: StoreSnapshot): void {
    for (const entry of roomEntriesFromSnapshot(snapshot)) {
      this.entries.set(entry.record.room, entry);
    }
  }

  /** Prunes the room at most once a second: pruning walks every claim. */
  private sweep(entry: RoomEntry, now: number): void {
    if (now - entry.prunedAt < SWEEP_EVERY_MS && now >= entry.prunedAt) return;
    this.prune(entry, now);
  }

  private prune(entry: RoomEntry, now: number): void {
    entry.prunedAt = now;
    pruneRoom(entry, now);
  }
}
