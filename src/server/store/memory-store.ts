/**
 * The embedded store: everything in memory, optionally made durable by a {@link StorePersistence}.
 * The rules that change a room live in `memory-room.ts` (shared with the journal replay), the
 * draws in `memory-draws.ts`, the writing in `memory-writer.ts`, a room's entry and its restore
 * in `memory-entry.ts`, the join counts and fairness series in `memory-shared.ts`.
 *
 * Durability rules (what a `kill -9` may not undo):
 * - seqs are reserved in blocks and the block's end is written before any seq of it is handed
 *   out; after a restart numbering resumes past the reserved mark, so no seq is handed out twice
 *   while joins cost no disk write each;
 * - a move of `serving`, a claim, a booked place, a consumed key and the signing keys are
 *   written before the operation resolves (so before the HTTP answer goes out);
 * - counters are written along with those, and by {@link MemoryStore.flush}.
 */
import type { RoomStatus } from '../../protocol.js';
import { createLocalLease, type Lease } from '../lease.js';
import type { StoredSigningKey } from '../token-signer.js';
import { MemoryClaims } from './memory-claims.js';
import { MemoryDraws } from './memory-draws.js';
import { cloneConfig, pruneRoom } from './memory-room.js';
import {
  advanceServing,
  allocateSeq,
  newRoomEntry,
  roomEntriesFromSnapshot,
  roomToSnapshot,
  writeChange,
} from './memory-entry.js';
import type { RoomEntry } from './memory-entry.js';
import { MemoryFairness, MemoryNewPlaces } from './memory-shared.js';
import type { MemoryStoreOptions, StoreSnapshot } from './memory-snapshot.js';
import { MemoryTallies } from './memory-tallies.js';
import { SnapshotWriter } from './memory-writer.js';
import type {
  AdvanceRecord,
  ClaimCapacity,
  ClaimRecord,
  CounterKey,
  CounterSample,
  DrawRecord,
  FairnessAppend,
  FairnessBounds,
  FairnessEntry,
  FairnessSeries,
  NewPlaceCount,
  QueueStore,
  RoomActivity,
  RoomConfig,
  RoomRecord,
} from './queue-store.js';
import { RoomNotFoundError } from './store-errors.js';
import { SWEEP_EVERY_MS } from './store-policy.js';

export type {
  MemoryStoreOptions,
  RoomSnapshot,
  StorePersistence,
  StoreSnapshot,
} from './memory-snapshot.js';

/**
 * In-memory {@link QueueStore}; durable when opened with a persistence.
 *
 * @example
 * ```ts
 * import { MemoryStore, createFilePersistence } from 'queue-gate/server';
 * const store = await MemoryStore.open({ persistence: createFilePersistence('./.queue-gate-data') });
 * ```
 */
export class MemoryStore implements QueueStore {
  /** Opens a store, loading the persisted snapshot if there is one. */
  static async open(options: MemoryStoreOptions = {}): Promise<MemoryStore> {
    const store = new MemoryStore(options);
    const snapshot = options.persistence ? await options.persistence.load() : null;
    if (snapshot) store.restore(snapshot);
    // A fresh snapshot empties the journal read back, so restarts never make replay longer.
    if (snapshot && store.writer.journals) await store.writer.save();
    return store;
  }

  private readonly writer: SnapshotWriter;
  private readonly seqBlockSize: number;
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly draws: MemoryDraws;
  private readonly claims: MemoryClaims;
  private readonly tallies: MemoryTallies;
  private readonly newPlaces = new MemoryNewPlaces();
  private readonly fairness = new MemoryFairness();

  private constructor(options: MemoryStoreOptions) {
    this.seqBlockSize = Math.max(1, Math.floor(options.seqBlockSize ?? 64));
    const compactAfter = Math.max(1, Math.floor(options.compactAfter ?? 100_000));
    this.writer = new SnapshotWriter(options.persistence, compactAfter, () => this.toSnapshot());
    this.claims = new MemoryClaims(this.writer);
    this.draws = new MemoryDraws(this.writer);
    this.tallies = new MemoryTallies(this.writer);
  }

  async listRooms(): Promise<RoomRecord[]> {
    const records: RoomRecord[] = [];
    for (const entry of this.rooms.values()) records.push(await this.shown(entry));
    return records;
  }

  async getRoom(room: string): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    return entry ? this.shown(entry) : null;
  }

  /** The room as reads see it: durable changes only, without waiting for other writes. */
  private async shown(entry: RoomEntry): Promise<RoomRecord> {
    if (entry.pendingChange) await entry.pendingChange.catch(() => undefined);
    return { ...entry.record, serving: entry.shownServing };
  }

  async putRoomConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord> {
    let entry = this.rooms.get(room);
    if (entry) {
      const version = entry.record.version + 1;
      entry.record = { ...entry.record, config: cloneConfig(config), version };
    } else {
      entry = newRoomEntry(room, config, now);
      this.rooms.set(room, entry);
    }
    await writeChange(this.writer, entry);
    return { ...entry.record, serving: entry.shownServing };
  }

  async setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    if (entry.record.status !== status) {
      entry.record = { ...entry.record, status, version: entry.record.version + 1 };
      await writeChange(this.writer, entry);
    }
    return { ...entry.record, serving: entry.shownServing };
  }

  async allocateSeq(room: string, _now: number): Promise<number | null> {
    const entry = this.rooms.get(room);
    return entry ? allocateSeq(this.writer, entry, this.seqBlockSize) : null;
  }

  async advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    return entry ? advanceServing(this.writer, entry, to, now, () => this.prune(entry, now)) : null;
  }

  async getActivity(room: string, now: number): Promise<RoomActivity> {
    const entry = this.rooms.get(room);
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

  async getAdvances(room: string, now: number): Promise<AdvanceRecord[]> {
    const entry = this.rooms.get(room);
    if (!entry) return [];
    this.sweep(entry, now);
    return entry.advances.map((advance) => ({ ...advance }));
  }

  async getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null> {
    return this.claims.get(() => this.rooms.get(room), seq, now);
  }

  async recordClaim(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    return this.claims.record(this.roomOrThrow(room), claim, now, capacity);
  }

  async bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    return this.claims.book(this.roomOrThrow(room), seq, keepUntil, now);
  }

  private roomOrThrow(room: string): RoomEntry {
    const entry = this.rooms.get(room);
    if (!entry) throw new RoomNotFoundError(room);
    return entry;
  }

  consumeJti(key: string, expiresAtMs: number, now: number): Promise<boolean> {
    return this.tallies.consume(key, expiresAtMs, now);
  }

  async countNewPlace(
    key: string,
    windowMs: number,
    limit: number,
    now: number,
  ): Promise<NewPlaceCount> {
    return this.newPlaces.count(key, windowMs, limit, now);
  }

  async recordFairness(
    room: string,
    entry: FairnessEntry,
    bounds: FairnessBounds,
  ): Promise<FairnessAppend> {
    return this.fairness.record(room, entry, bounds);
  }

  async readFairness(room: string): Promise<FairnessSeries> {
    return this.fairness.read(room);
  }

  async incrementCounter(key: CounterKey, by = 1): Promise<void> {
    this.tallies.increment(key, by);
  }

  async readCounters(): Promise<CounterSample[]> {
    return this.tallies.readCounters();
  }

  async loadSigningKeys(): Promise<StoredSigningKey[]> {
    return this.tallies.loadKeys();
  }

  saveSigningKeys(keys: StoredSigningKey[]): Promise<void> {
    return this.tallies.saveKeys(keys);
  }

  initSigningKeys(keys: StoredSigningKey[]): Promise<StoredSigningKey[]> {
    return this.tallies.initKeys(keys);
  }

  /** One process owns the embedded store, so its lease always holds. */
  lease(name: string, options: { ttlMs?: number; owner?: string } = {}): Lease {
    return createLocalLease(name, options.owner);
  }

  commitDraw(
    room: string,
    draw: Pick<DrawRecord, 'seed' | 'commitment' | 'committedAt' | 'opensAt'>,
  ): Promise<DrawRecord> {
    return this.draws.commitDraw(room, draw);
  }

  getDraw(room: string): Promise<DrawRecord | null> {
    return this.draws.getDraw(room);
  }

  async registerPreOpen(room: string, sub: string, _now: number): Promise<boolean> {
    return this.rooms.has(room) && this.draws.registerPreOpen(room, sub);
  }

  async runDraw(room: string, now: number): Promise<DrawRecord | null> {
    const entry = this.rooms.get(room);
    return entry ? this.draws.runDraw(entry, now) : null;
  }

  async flush(): Promise<void> {
    if (!this.writer.dirty) {
      await this.writer.lastWrite();
    } else if (this.writer.journals) {
      // Counters alone go to the journal: a whole snapshot of every claim each few seconds
      // would stall the event loop (and every request) once many claims are held.
      this.writer.dirty = false;
      await this.writer.journal({ type: 'counters', counters: this.tallies.readCounters() });
    } else {
      await this.writer.save();
    }
  }

  async close(): Promise<void> {
    // A snapshot even when nothing else changed: the journal is emptied into it.
    if (this.writer.journals) await this.writer.save();
    await this.flush();
    await this.writer.close();
  }

  /** The whole state as one document (what the persistence writes). */
  toSnapshot(): StoreSnapshot {
    return {
      format: 1,
      rooms: [...this.rooms.values()].map(roomToSnapshot),
      ...this.tallies.toSnapshot(),
      draws: this.draws.toSnapshot(),
    };
  }

  private restore(snapshot: StoreSnapshot): void {
    for (const entry of roomEntriesFromSnapshot(snapshot)) this.rooms.set(entry.record.room, entry);
    this.tallies.restore(snapshot);
    for (const draw of snapshot.draws ?? []) this.draws.restore(draw);
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
