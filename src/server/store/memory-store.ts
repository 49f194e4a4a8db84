/**
 * The embedded store: everything in memory, optionally made durable by a {@link StorePersistence}.
 *
 * Durability rules (what a `kill -9` may not undo):
 * - seqs are reserved in blocks and the block's end is written before any seq of it is handed
 *   out; after a restart numbering resumes past the reserved mark, so no seq is handed out twice
 *   while joins cost no disk write each;
 * - a move of `serving`, a claim, a booked place, a consumed key and the signing keys are written before the
 *   operation resolves (so before the HTTP answer goes out);
 * - counters are written along with those, and by {@link MemoryStore.flush}.
 */
import type { RoomStatus } from '../../protocol.js';
import { prunableAdvances } from '../room-timeline.js';
import type { StoredSigningKey } from '../token-signer.js';
import type { JournalEntry } from './store-journal.js';
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

/** Everything the store writes to disk, as one JSON document. */
export interface StoreSnapshot {
  format: 1;
  rooms: RoomSnapshot[];
  consumed: Array<[jti: string, expiresAt: number]>;
  counters: CounterSample[];
  keys: StoredSigningKey[];
  /** Opening draws by room (absent in snapshots written before draws existed). */
  draws?: Array<DrawRecord & { room: string }>;
}

/** One room inside a {@link StoreSnapshot}. */
export interface RoomSnapshot {
  record: RoomRecord;
  /** Seqs up to this one may already have been handed out. */
  reservedSeq: number;
  advances: AdvanceRecord[];
  claims: ClaimRecord[];
  /** Booked places with how long each is remembered (absent in older snapshots). */
  booked?: Array<[seq: number, keepUntil: number]>;
}

/** Where a {@link MemoryStore} keeps its snapshot (see `file-persistence.ts`). */
export interface StorePersistence {
  /** The last saved snapshot, or null when nothing was saved yet. */
  load(): Promise<StoreSnapshot | null>;
  /** Saves atomically: after a crash either the old or the new snapshot is read back. */
  save(snapshot: StoreSnapshot): Promise<void>;
  /**
   * Makes changes durable without a whole snapshot (see `store-journal.ts`); `load` returns
   * the last snapshot with them applied, and the next `save` makes them part of it. Without
   * it every such change saves a whole snapshot.
   */
  append?(entries: JournalEntry[]): Promise<void>;
  /** Releases files or connections. */
  close?(): Promise<void>;
}

/** Options of {@link MemoryStore.open}. */
export interface MemoryStoreOptions {
  /** Makes the store durable; without it everything is lost on exit. */
  persistence?: StorePersistence;
  /** How many seqs one disk write reserves (default 64). */
  seqBlockSize?: number;
  /** Journal entries after which a snapshot is written to empty the journal (default 100,000). */
  compactAfter?: number;
}

interface RoomEntry {
  record: RoomRecord;
  reservedSeq: number;
  /** The write that made `reservedSeq` durable; every seq of the block waits for it. */
  reservation: Promise<void>;
  advances: AdvanceRecord[];
  claims: Map<number, ClaimRecord>;
  /** Booked places: seq → until when the booking is remembered (epoch ms). */
  booked: Map<number, number>;
  /**
   * `serving` as far as it is durable: what reads show, so no visitor is told of a move that a
   * crash could undo, while reads never wait for a disk write.
   */
  shownServing: number;
  /** A configuration or status change being written; reads wait for it (it is rare). */
  pendingChange: Promise<void> | null;
  /** When claims were last pruned (pruning walks them all, so not on every request). */
  prunedAt: number;
}

/** Claims and moves are kept at least this long, for the measured rate over one minute. */
const MINUTE_MS = 60_000;
/** Consumed keys outlive their expiry by this much, covering verifiers' clock tolerance. */
const CONSUMED_TOLERANCE_MS = 5 * MINUTE_MS;

/** What a booked place whose claim was already dropped reads as. */
const bookedClaim = (seq: number): ClaimRecord => ({
  seq,
  sub: '',
  jti: '',
  admission: '',
  claimedAt: 0,
  expiresAt: 0,
  consumed: true,
});
/** How often the expired history is swept, at most. */
const SWEEP_EVERY_MS = 1000;

const counterId = (key: CounterKey): string =>
  `${key.name}\u0000${key.room ?? ''}\u0000${key.code ?? ''}`;

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
    if (snapshot && options.persistence?.append) await store.save();
    return store;
  }

  private readonly persistence: StorePersistence | undefined;
  private readonly seqBlockSize: number;
  private readonly compactAfter: number;
  private journaled = 0;
  private consumedSweptAt = -Infinity;
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly consumed = new Map<string, number>();
  private readonly counters = new Map<string, CounterSample>();
  private keys: StoredSigningKey[] = [];
  /** Claims recorded but not yet durable, with their write. */
  private readonly unwritten = new Map<ClaimRecord, Promise<void>>();
  private readonly draws = new Map<string, DrawRecord>();
  private dirty = false;
  private lastSave: Promise<void> = Promise.resolve();
  private queuedSave: Promise<void> | null = null;

  private constructor(options: MemoryStoreOptions) {
    this.persistence = options.persistence;
    this.seqBlockSize = Math.max(1, Math.floor(options.seqBlockSize ?? 64));
    this.compactAfter = Math.max(1, Math.floor(options.compactAfter ?? 100_000));
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
      entry.record = {
        ...entry.record,
        config: cloneConfig(config),
        version: entry.record.version + 1,
      };
    } else {
      entry = {
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
        reservation: Promise.resolve(),
        advances: [{ at: now, serving: 0, holdSeconds: config.holdSeconds }],
        claims: new Map(),
        booked: new Map(),
        shownServing: 0,
        pendingChange: null,
        prunedAt: now,
      };
      this.rooms.set(room, entry);
    }
    // Reads of the room (a new one too) wait until the change is on disk.
    const saved = this.save();
    this.holdReads(entry, saved);
    await saved;
    return { ...entry.record, serving: entry.shownServing };
  }

  /** Makes reads of the room wait for `write` (a rare configuration or status change). */
  private holdReads(entry: RoomEntry, write: Promise<void>): void {
    const pending = write.then(
      () => undefined,
      () => undefined,
    );
    entry.pendingChange = pending;
    void pending.then(() => {
      if (entry.pendingChange === pending) entry.pendingChange = null;
    });
  }

  async setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    if (entry.record.status !== status) {
      entry.record = { ...entry.record, status, version: entry.record.version + 1 };
      const saved = this.save();
      this.holdReads(entry, saved);
      await saved;
    }
    return { ...entry.record, serving: entry.shownServing };
  }

  async allocateSeq(room: string, _now: number): Promise<number | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    const seq = entry.record.issued + 1;
    entry.record = { ...entry.record, issued: seq, version: entry.record.version + 1 };
    this.dirty = true;
    if (seq > entry.reservedSeq) {
      // The block's end must be on disk before any seq of it leaves the process; if that
      // write fails, the block is given up so the next join tries to reserve again.
      const previous = entry.reservedSeq;
      entry.reservedSeq = seq + this.seqBlockSize - 1;
      const reservedSeq = entry.reservedSeq;
      entry.reservation = this.journal({ type: 'reserve', room, reservedSeq }).catch(
        (error: unknown) => {
          if (entry.reservedSeq === seq + this.seqBlockSize - 1) entry.reservedSeq = previous;
          throw error;
        },
      );
    }
    await entry.reservation;
    return seq;
  }

  async advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    to = Math.min(to, entry.record.issued);
    if (to > entry.record.serving) {
      const holdSeconds = entry.record.config.holdSeconds;
      entry.record = { ...entry.record, serving: to, version: entry.record.version + 1 };
      entry.advances.push({ at: now, serving: to, holdSeconds });
      this.prune(entry, now);
      await this.journal({ type: 'advance', room, at: now, serving: to, holdSeconds });
      if (to > entry.shownServing) {
        entry.shownServing = to;
        // A new version, so cached state answers are rebuilt with the move now shown.
        entry.record = { ...entry.record, version: entry.record.version + 1 };
      }
    } else {
      await this.whenShown(entry, to);
    }
    return { ...entry.record, serving: entry.shownServing };
  }

  /** Waits for a move to `to` that another caller is writing (once: it may also fail). */
  private async whenShown(entry: RoomEntry, to: number): Promise<void> {
    if (entry.shownServing < Math.min(to, entry.record.serving)) {
      await this.journal(null).catch(() => undefined);
    }
  }

  async getActivity(room: string, now: number): Promise<RoomActivity> {
    const entry = this.rooms.get(room);
    if (!entry) return { claims: [], advances: [] };
    this.sweep(entry, now);
    return {
      claims: [...entry.claims.values()].map((claim) => ({ ...claim })),
      advances: entry.advances.map((advance) => ({ ...advance })),
    };
  }

  /** The moves of `serving` alone: what a claim needs, without copying every claim. */
  async getAdvances(room: string, now: number): Promise<AdvanceRecord[]> {
    const entry = this.rooms.get(room);
    if (!entry) return [];
    this.sweep(entry, now);
    return entry.advances.map((advance) => ({ ...advance }));
  }

  async getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null> {
    const claim = this.rooms.get(room)?.claims.get(seq);
    // A claim still being written is shown only once durable: its admission may not leave
    // the process before a crash could no longer undo it.
    if (claim && this.unwritten.has(claim)) await this.unwritten.get(claim)!.catch(() => undefined);
    const entry = this.rooms.get(room);
    const current = entry?.claims.get(seq);
    const shown = current && !this.unwritten.has(current) ? { ...current } : null;
    if (entry && isBooked(entry, seq, now))
      return { ...(shown ?? bookedClaim(seq)), consumed: true };
    return shown;
  }

  async recordClaim(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    const entry = this.rooms.get(room);
    if (!entry) throw new Error(`No room ${room}`);
    const existing = entry.claims.get(claim.seq);
    // Checked in the same synchronous step as the write: a booking cannot slip in between.
    if (isBooked(entry, claim.seq, now)) {
      return { ...(existing ?? bookedClaim(claim.seq)), consumed: true };
    }
    if (existing && (existing.expiresAt > now || existing.consumed)) {
      const writing = this.unwritten.get(existing);
      if (writing) await writing;
      return { ...existing };
    }
    if (capacity && activeClaims(entry, claim.seq, now) + capacity.reserved >= capacity.maxActive) {
      return 'full';
    }
    const stored = { ...claim };
    entry.claims.set(claim.seq, stored);
    const written = this.journal({ type: 'claim', room, claim: { ...claim } });
    this.unwritten.set(stored, written);
    try {
      await written;
    } catch (error) {
      // Not durable, so not recorded: the visitor's retry claims again.
      if (entry.claims.get(claim.seq) === stored) entry.claims.delete(claim.seq);
      throw error;
    } finally {
      this.unwritten.delete(stored);
    }
    return { ...claim };
  }

  async bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    const entry = this.rooms.get(room);
    if (!entry) throw new Error(`No room ${room}`);
    // Check and mark in one synchronous step: of two bookings of one place, one wins.
    if (isBooked(entry, seq, now)) return false;
    entry.booked.set(seq, keepUntil);
    const claim = entry.claims.get(seq);
    if (claim) claim.consumed = true;
    try {
      await this.journal({ type: 'book', room, seq, keepUntil });
    } catch (error) {
      // Not durable, so not booked: the booking backend answers 5xx and the visitor retries.
      if (entry.booked.get(seq) === keepUntil) entry.booked.delete(seq);
      throw error;
    }
    return true;
  }

  async consumeJti(key: string, expiresAtMs: number, now: number): Promise<boolean> {
    if (now - this.consumedSweptAt >= SWEEP_EVERY_MS) {
      this.consumedSweptAt = now;
      for (const [used, expiresAt] of this.consumed) {
        if (expiresAt + CONSUMED_TOLERANCE_MS <= now) this.consumed.delete(used);
      }
    }
    if (this.consumed.has(key)) return false;
    this.consumed.set(key, expiresAtMs);
    await this.journal({ type: 'consume', jti: key, expiresAt: expiresAtMs });
    return true;
  }

  async incrementCounter(key: CounterKey, by = 1): Promise<void> {
    const id = counterId(key);
    const sample = this.counters.get(id) ?? { ...key, value: 0 };
    sample.value += by;
    this.counters.set(id, sample);
    this.dirty = true;
  }

  async readCounters(): Promise<CounterSample[]> {
    return [...this.counters.values()].map((sample) => ({ ...sample }));
  }

  async loadSigningKeys(): Promise<StoredSigningKey[]> {
    return this.keys.map((key) => ({ ...key }));
  }

  async saveSigningKeys(keys: StoredSigningKey[]): Promise<void> {
    this.keys = keys.map((key) => ({ ...key }));
    await this.save();
  }

  async commitDraw(
    room: string,
    draw: Pick<DrawRecord, 'seed' | 'commitment' | 'committedAt' | 'opensAt'>,
  ): Promise<DrawRecord> {
    const existing = this.draws.get(room);
    if (existing) {
      await this.settled();
      return cloneDraw(existing);
    }
    const record: DrawRecord = { ...draw, drawnAt: null, base: 0, entrants: [] };
    this.draws.set(room, record);
    await this.save();
    return cloneDraw(record);
  }

  async getDraw(room: string): Promise<DrawRecord | null> {
    await this.settled();
    const draw = this.draws.get(room);
    return draw ? cloneDraw(draw) : null;
  }

  async registerPreOpen(room: string, sub: string, _now: number): Promise<boolean> {
    const draw = this.draws.get(room);
    if (!draw || draw.drawnAt !== null || !this.rooms.has(room)) return false;
    draw.entrants.push(sub);
    await this.save();
    return true;
  }

  async runDraw(room: string, now: number): Promise<DrawRecord | null> {
    const draw = this.draws.get(room);
    const entry = this.rooms.get(room);
    if (!draw || !entry) return null;
    if (draw.drawnAt === null) {
      // One synchronous step: no join of this process can slip between freezing and numbering.
      const base = entry.record.issued;
      draw.drawnAt = now;
      draw.base = base;
      const issued = base + new Set(draw.entrants).size;
      entry.record = { ...entry.record, issued, version: entry.record.version + 1 };
      // The drawn seqs are handed out by the draw, never by a block: reserve past them.
      entry.reservedSeq = Math.max(entry.reservedSeq, issued);
      await this.save();
    } else {
      await this.settled();
    }
    return cloneDraw(draw);
  }

  async flush(): Promise<void> {
    if (!this.dirty) {
      await this.lastSave;
    } else if (this.persistence?.append) {
      // Counters alone go to the journal: a whole snapshot of every claim each few seconds
      // would stall the event loop (and every request) once many claims are held.
      this.dirty = false;
      const counters = [...this.counters.values()].map((sample) => ({ ...sample }));
      await this.journal({ type: 'counters', counters });
    } else {
      await this.save();
    }
  }

  async close(): Promise<void> {
    // A snapshot even when nothing else changed: the journal is emptied into it.
    if (this.persistence?.append) await this.save();
    await this.flush();
    await this.persistence?.close?.();
  }

  /**
   * Makes `entry` durable: appended to the persistence's journal when it has one (concurrent
   * entries share one disk flush), else by a whole snapshot. `null` waits for what was handed
   * in before. The journal is emptied into a snapshot once it grows long.
   */
  private journal(entry: JournalEntry | null): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) return Promise.resolve();
    if (!persistence.append) return this.save();
    if (entry === null) return persistence.append([]);
    this.journaled += 1;
    if (this.journaled >= this.compactAfter && !this.queuedSave) {
      this.save().catch(() => undefined);
    }
    return persistence.append([entry]);
  }

  /**
   * Waits for snapshot writes already started or queued (not journal entries), so that what
   * such a write holds is not shown before it is durable; a failed write is reported by its
   * own caller.
   */
  private settled(): Promise<void> {
    return this.lastSave.then(
      () => undefined,
      () => undefined,
    );
  }

  /** The whole state as one document (what the persistence writes). */
  toSnapshot(): StoreSnapshot {
    this.journaled = 0;
    return {
      format: 1,
      rooms: [...this.rooms.values()].map((entry) => ({
        record: { ...entry.record, config: cloneConfig(entry.record.config) },
        reservedSeq: entry.reservedSeq,
        advances: entry.advances.map((advance) => ({ ...advance })),
        claims: [...entry.claims.values()].map((claim) => ({ ...claim })),
        booked: [...entry.booked.entries()],
      })),
      consumed: [...this.consumed.entries()],
      counters: [...this.counters.values()].map((sample) => ({ ...sample })),
      keys: this.keys.map((key) => ({ ...key })),
      draws: [...this.draws.entries()].map(([room, draw]) => ({ ...cloneDraw(draw), room })),
    };
  }

  private restore(snapshot: StoreSnapshot): void {
    if (snapshot.format !== 1)
      throw new Error(`Unknown store snapshot format ${String(snapshot.format)}`);
    for (const room of snapshot.rooms) {
      // A crash may have handed out seqs up to the reserved mark: resume past all of them.
      const issued = Math.max(room.record.issued, room.reservedSeq);
      this.rooms.set(room.record.room, {
        record: { ...room.record, issued, version: room.record.version + 1 },
        reservedSeq: issued,
        reservation: Promise.resolve(),
        // Moves recorded before holds were kept per move hold for the room's hold.
        advances: room.advances.map((advance) => ({
          ...advance,
          holdSeconds: advance.holdSeconds ?? room.record.config.holdSeconds,
        })),
        claims: new Map(room.claims.map((claim) => [claim.seq, { ...claim }])),
        booked: new Map(room.booked ?? []),
        shownServing: room.record.serving,
        pendingChange: null,
        prunedAt: -Infinity,
      });
    }
    for (const [jti, expiresAt] of snapshot.consumed) this.consumed.set(jti, expiresAt);
    for (const sample of snapshot.counters) this.counters.set(counterId(sample), { ...sample });
    this.keys = snapshot.keys.map((key) => ({ ...key }));
    for (const draw of snapshot.draws ?? []) {
      const { room, ...record } = draw;
      this.draws.set(room, cloneDraw(record));
    }
  }

  /** {@link MemoryStore.prune}, at most once a second: it walks every claim. */
  private sweep(entry: RoomEntry, now: number): void {
    if (now - entry.prunedAt < SWEEP_EVERY_MS && now >= entry.prunedAt) return;
    this.prune(entry, now);
  }

  /** Drops history no rule can need any more, keeping memory and snapshots bounded. */
  private prune(entry: RoomEntry, now: number): void {
    entry.prunedAt = now;
    const drop = prunableAdvances(entry.advances, now);
    if (drop > 0) entry.advances.splice(0, drop);
    for (const [seq, keepUntil] of entry.booked) if (keepUntil <= now) entry.booked.delete(seq);
    // Claims outlive their admission for the hold window, so a visitor who booked cannot claim
    // their turn a second time; the expired token itself is dropped to keep snapshots small.
    const claimCutoff = now - Math.max(entry.record.config.holdSeconds * 1000, MINUTE_MS);
    for (const [seq, claim] of entry.claims) {
      if (claim.expiresAt > now) continue;
      if (claim.claimedAt <= claimCutoff) {
        entry.claims.delete(seq);
      } else if (claim.admission !== '') {
        claim.admission = '';
      }
    }
  }

  /** Writes a snapshot taken after every change made so far; concurrent callers share writes. */
  private save(): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) return Promise.resolve();
    if (this.queuedSave) return this.queuedSave;
    const write = async (): Promise<void> => {
      this.queuedSave = null;
      this.dirty = false;
      await persistence.save(this.toSnapshot());
    };
    const next = this.lastSave.then(write, write);
    this.queuedSave = next;
    this.lastSave = next;
    return next;
  }
}

/** Claims outstanding (unexpired, unconsumed) other than the one for `seq`. */
function activeClaims(entry: RoomEntry, seq: number, now: number): number {
  let active = 0;
  for (const claim of entry.claims.values()) {
    if (claim.seq !== seq && !claim.consumed && claim.expiresAt > now) active += 1;
  }
  return active;
}

function isBooked(entry: RoomEntry, seq: number, now: number): boolean {
  const keepUntil = entry.booked.get(seq);
  return keepUntil !== undefined && keepUntil > now;
}

function cloneConfig(config: RoomConfig): RoomConfig {
  const copy = { ...config, allowedOrigins: [...config.allowedOrigins] };
  if (config.cohorts) copy.cohorts = config.cohorts.map((cohort) => ({ ...cohort }));
  return copy;
}

function cloneDraw(draw: DrawRecord): DrawRecord {
  return { ...draw, entrants: [...draw.entrants] };
}
