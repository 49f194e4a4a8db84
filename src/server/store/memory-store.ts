/**
 * The embedded store: everything in memory, optionally made durable by a {@link StorePersistence}.
 * The rules that change a room live in `memory-room.ts` (shared with the journal replay), the
 * draws in `memory-draws.ts`, the writing in `memory-writer.ts`.
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
import {
  cloneConfig,
  newRoomState,
  pruneRoom,
  pushAdvance,
  roomFromSnapshot,
  roomToSnapshot,
} from './memory-room.js';
import type { RoomState } from './memory-room.js';
import type { StorePersistence, StoreSnapshot } from './memory-snapshot.js';
import { MemoryTallies } from './memory-tallies.js';
import { SnapshotWriter } from './memory-writer.js';
import type {
  AdvanceRecord,
  ClaimCapacity,
  ClaimRecord,
  CounterKey,
  CounterSample,
  DrawRecord,
  QueueStore,
  RoomActivity,
  RoomConfig,
  RoomRecord,
} from './queue-store.js';
import { RoomNotFoundError } from './store-errors.js';
import { SWEEP_EVERY_MS } from './store-policy.js';

export type { RoomSnapshot, StorePersistence, StoreSnapshot } from './memory-snapshot.js';

/** Options of {@link MemoryStore.open}. */
export interface MemoryStoreOptions {
  /** Makes the store durable; without it everything is lost on exit. */
  persistence?: StorePersistence;
  /** How many seqs one disk write reserves (default 64). */
  seqBlockSize?: number;
  /** Journal entries after which a snapshot is written to empty the journal (default 100,000). */
  compactAfter?: number;
}

interface RoomEntry extends RoomState {
  /** The write that made `reservedSeq` durable; every seq of the block waits for it. */
  reservation: Promise<void>;
  /** `serving` as far as it is durable: what reads show (reads never wait for a disk write). */
  shownServing: number;
  /** A configuration or status change being written; reads wait for it (it is rare). */
  pendingChange: Promise<void> | null;
  /** When the room was last pruned (pruning walks every claim, so not on every request). */
  prunedAt: number;
}

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
      entry = {
        ...newRoomState(room, config, now),
        reservation: Promise.resolve(),
        shownServing: 0,
        pendingChange: null,
        prunedAt: now,
      };
      this.rooms.set(room, entry);
    }
    await this.writeChange(entry);
    return { ...entry.record, serving: entry.shownServing };
  }

  /** Writes a snapshot with a (rare) configuration or status change; reads of the room wait. */
  private async writeChange(entry: RoomEntry): Promise<void> {
    const saved = this.writer.save();
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

  async setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    if (entry.record.status !== status) {
      entry.record = { ...entry.record, status, version: entry.record.version + 1 };
      await this.writeChange(entry);
    }
    return { ...entry.record, serving: entry.shownServing };
  }

  async allocateSeq(room: string, _now: number): Promise<number | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    const seq = entry.record.issued + 1;
    entry.record = { ...entry.record, issued: seq, version: entry.record.version + 1 };
    this.writer.dirty = true;
    if (seq > entry.reservedSeq) {
      // The block's end must be on disk before any seq of it leaves the process; if that
      // write fails, the block is given up so the next join tries to reserve again.
      const previous = entry.reservedSeq;
      const reservedSeq = seq + this.seqBlockSize - 1;
      entry.reservedSeq = reservedSeq;
      entry.reservation = this.writer
        .journal({ type: 'reserve', room, reservedSeq })
        .catch((error: unknown) => {
          if (entry.reservedSeq === reservedSeq) entry.reservedSeq = previous;
          throw error;
        });
    }
    await entry.reservation;
    return seq;
  }

  async advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    to = Math.min(to, entry.record.issued);
    const holdSeconds = entry.record.config.holdSeconds;
    if (pushAdvance(entry, { at: now, serving: to, holdSeconds })) {
      entry.record = { ...entry.record, version: entry.record.version + 1 };
      this.prune(entry, now);
      await this.writer.journal({ type: 'advance', room, at: now, serving: to, holdSeconds });
      if (to > entry.shownServing) {
        entry.shownServing = to;
        // A new version, so cached state answers are rebuilt with the move now shown.
        entry.record = { ...entry.record, version: entry.record.version + 1 };
      }
    } else if (entry.shownServing < Math.min(to, entry.record.serving)) {
      // Another caller is writing a move to `to`: wait for it (once: it may also fail).
      await this.writer.journal(null).catch(() => undefined);
    }
    return { ...entry.record, serving: entry.shownServing };
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
    if (snapshot.format !== 1)
      throw new Error(`Unknown store snapshot format ${String(snapshot.format)}`);
    for (const room of snapshot.rooms) {
      const state = roomFromSnapshot(room);
      // A crash may have handed out seqs up to the reserved mark: resume past all of them.
      const issued = Math.max(state.record.issued, state.reservedSeq);
      state.record = { ...state.record, issued, version: state.record.version + 1 };
      this.rooms.set(state.record.room, {
        ...state,
        reservedSeq: issued,
        reservation: Promise.resolve(),
        shownServing: state.record.serving,
        pendingChange: null,
        prunedAt: -Infinity,
      });
    }
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
