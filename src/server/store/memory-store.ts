/**
 * The embedded store: everything in memory, optionally made durable by a {@link StorePersistence}.
 * The rooms live in `memory-rooms.ts`, the rules that change a room in `memory-room.ts` (shared
 * with the journal replay), the draws in `memory-draws.ts`, the writing in `memory-writer.ts`, a room's entry and its restore
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
import { MemoryIdentities } from './memory-identities.js';
import { MemoryRooms } from './memory-rooms.js';
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
  DrawCommitment,
  DrawRecord,
  FairnessAppend,
  FairnessBounds,
  FairnessEntry,
  FairnessSeries,
  IdentityBinding,
  IdentityBindingChange,
  NewPlaceCount,
  QueueStore,
  RoomActivity,
  RoomConfig,
  RoomRecord,
} from './queue-store.js';

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
  private readonly rooms: MemoryRooms;
  private readonly draws: MemoryDraws;
  private readonly claims: MemoryClaims;
  private readonly tallies: MemoryTallies;
  private readonly newPlaces = new MemoryNewPlaces();
  private readonly fairness = new MemoryFairness();
  private readonly identities: MemoryIdentities;

  private constructor(options: MemoryStoreOptions) {
    const seqBlockSize = Math.max(1, Math.floor(options.seqBlockSize ?? 64));
    const compactAfter = Math.max(1, Math.floor(options.compactAfter ?? 100_000));
    this.writer = new SnapshotWriter(options.persistence, compactAfter, () => this.toSnapshot());
    this.rooms = new MemoryRooms(this.writer, seqBlockSize);
    this.claims = new MemoryClaims(this.writer);
    this.draws = new MemoryDraws(this.writer);
    this.tallies = new MemoryTallies(this.writer);
    this.identities = new MemoryIdentities(this.writer, (room) => this.rooms.has(room));
  }

  listRooms(): Promise<RoomRecord[]> {
    return this.rooms.list();
  }

  getRoom(room: string): Promise<RoomRecord | null> {
    return this.rooms.get(room);
  }

  putRoomConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord> {
    return this.rooms.putConfig(room, config, now);
  }

  setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    return this.rooms.setStatus(room, status);
  }

  allocateSeq(room: string, _now: number): Promise<number | null> {
    return this.rooms.allocateSeq(room);
  }

  advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    return this.rooms.advanceServing(room, to, now);
  }

  async getActivity(room: string, now: number): Promise<RoomActivity> {
    return this.rooms.activity(room, now);
  }

  async getAdvances(room: string, now: number): Promise<AdvanceRecord[]> {
    return this.rooms.advances(room, now);
  }

  async getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null> {
    return this.claims.get(() => this.rooms.entry(room), seq, now);
  }

  async recordClaim(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    return this.claims.record(this.rooms.entryOrThrow(room), claim, now, capacity);
  }

  async bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    return this.claims.book(this.rooms.entryOrThrow(room), seq, keepUntil, now);
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

  commitDraw(room: string, draw: DrawCommitment): Promise<DrawRecord> {
    return this.draws.commitDraw(room, draw);
  }

  setDrawBeacon(room: string, value: string, _now: number): Promise<DrawRecord | null> {
    return this.draws.setDrawBeacon(room, value);
  }

  getDraw(room: string): Promise<DrawRecord | null> {
    return this.draws.getDraw(room);
  }

  async registerPreOpen(room: string, sub: string, _now: number): Promise<boolean> {
    return this.rooms.has(room) && this.draws.registerPreOpen(room, sub);
  }

  async runDraw(room: string, now: number): Promise<DrawRecord | null> {
    const entry = this.rooms.entry(room);
    return entry ? this.draws.runDraw(entry, now) : null;
  }

  // Identity bindings and released places: see `memory-identities.ts`.
  getIdentityBinding(room: string, idh: string): Promise<IdentityBinding | null> {
    return this.identities.get(room, idh);
  }
  bindIdentity(room: string, change: IdentityBindingChange, now: number) {
    return this.identities.bind(room, change, now);
  }
  releasePlace(room: string, sub: string, keepUntil: number, now: number): Promise<void> {
    return this.identities.release(room, sub, keepUntil, now);
  }
  isPlaceReleased(room: string, sub: string, now: number): Promise<boolean> {
    return this.identities.isReleased(room, sub, now);
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
      rooms: this.rooms.toSnapshot(),
      ...this.tallies.toSnapshot(),
      draws: this.draws.toSnapshot(),
      identities: this.identities.toSnapshot(),
    };
  }

  private restore(snapshot: StoreSnapshot): void {
    this.rooms.restore(snapshot);
    this.tallies.restore(snapshot);
    for (const draw of snapshot.draws ?? []) this.draws.restore(draw);
    this.identities.restore(snapshot.identities);
  }
}
