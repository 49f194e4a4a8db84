/**
 * The embedded store: everything in memory, optionally made durable by a {@link StorePersistence}.
 *
 * Durability rules (what a `kill -9` may not undo):
 * - seqs are reserved in blocks and the block's end is written before any seq of it is handed
 *   out; after a restart numbering resumes past the reserved mark, so no seq is handed out twice
 *   while joins cost no disk write each;
 * - a move of `serving`, a claim, a consumed jti and the signing keys are written before the
 *   operation resolves (so before the HTTP answer goes out);
 * - counters are written along with those, and by {@link MemoryStore.flush}.
 */
import type { RoomStatus } from '../../protocol.js';
import type { StoredSigningKey } from '../token-signer.js';
import type {
  AdvanceRecord,
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
}

/** Where a {@link MemoryStore} keeps its snapshot (see `file-persistence.ts`). */
export interface StorePersistence {
  /** The last saved snapshot, or null when nothing was saved yet. */
  load(): Promise<StoreSnapshot | null>;
  /** Saves atomically: after a crash either the old or the new snapshot is read back. */
  save(snapshot: StoreSnapshot): Promise<void>;
}

/** Options of {@link MemoryStore.open}. */
export interface MemoryStoreOptions {
  /** Makes the store durable; without it everything is lost on exit. */
  persistence?: StorePersistence;
  /** How many seqs one disk write reserves (default 64). */
  seqBlockSize?: number;
}

interface RoomEntry {
  record: RoomRecord;
  reservedSeq: number;
  /** The write that made `reservedSeq` durable; every seq of the block waits for it. */
  reservation: Promise<void>;
  advances: AdvanceRecord[];
  claims: Map<number, ClaimRecord>;
}

/** Claims and moves are kept at least this long, for the measured rate over one minute. */
const MINUTE_MS = 60_000;
/** Consumed jtis outlive their expiry by this much, covering verifiers' clock tolerance. */
const CONSUMED_TOLERANCE_MS = 5 * MINUTE_MS;

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
    return store;
  }

  private readonly persistence: StorePersistence | undefined;
  private readonly seqBlockSize: number;
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly consumed = new Map<string, number>();
  private readonly claimsByJti = new Map<string, { room: string; seq: number }>();
  private readonly counters = new Map<string, CounterSample>();
  private keys: StoredSigningKey[] = [];
  private readonly draws = new Map<string, DrawRecord>();
  private dirty = false;
  private lastSave: Promise<void> = Promise.resolve();
  private queuedSave: Promise<void> | null = null;

  private constructor(options: MemoryStoreOptions) {
    this.persistence = options.persistence;
    this.seqBlockSize = Math.max(1, Math.floor(options.seqBlockSize ?? 64));
  }

  async listRooms(): Promise<RoomRecord[]> {
    await this.settled();
    return [...this.rooms.values()].map((entry) => ({ ...entry.record }));
  }

  async getRoom(room: string): Promise<RoomRecord | null> {
    await this.settled();
    const entry = this.rooms.get(room);
    return entry ? { ...entry.record } : null;
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
        advances: [{ at: now, serving: 0 }],
        claims: new Map(),
      };
      this.rooms.set(room, entry);
    }
    await this.save();
    return { ...entry.record };
  }

  async setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    if (entry.record.status !== status) {
      entry.record = { ...entry.record, status, version: entry.record.version + 1 };
      await this.save();
    }
    return { ...entry.record };
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
      entry.reservation = this.save().catch((error: unknown) => {
        if (entry.reservedSeq === seq + this.seqBlockSize - 1) entry.reservedSeq = previous;
        throw error;
      });
    }
    await entry.reservation;
    return seq;
  }

  async advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    if (to > entry.record.serving) {
      entry.record = { ...entry.record, serving: to, version: entry.record.version + 1 };
      entry.advances.push({ at: now, serving: to });
      this.prune(entry, now);
      await this.save();
    } else {
      await this.settled();
    }
    return { ...entry.record };
  }

  async getActivity(room: string, now: number): Promise<RoomActivity> {
    const entry = this.rooms.get(room);
    if (!entry) return { claims: [], advances: [] };
    this.prune(entry, now);
    return {
      claims: [...entry.claims.values()].map((claim) => ({ ...claim })),
      advances: entry.advances.map((advance) => ({ ...advance })),
    };
  }

  async getClaim(room: string, seq: number, _now: number): Promise<ClaimRecord | null> {
    await this.settled();
    const claim = this.rooms.get(room)?.claims.get(seq);
    return claim ? { ...claim } : null;
  }

  async recordClaim(room: string, claim: ClaimRecord, now: number): Promise<ClaimRecord> {
    const entry = this.rooms.get(room);
    if (!entry) throw new Error(`No room ${room}`);
    const existing = entry.claims.get(claim.seq);
    if (existing && (existing.expiresAt > now || existing.consumed)) return { ...existing };
    if (existing) this.claimsByJti.delete(existing.jti);
    entry.claims.set(claim.seq, { ...claim });
    this.claimsByJti.set(claim.jti, { room, seq: claim.seq });
    await this.save();
    return { ...claim };
  }

  async consumeJti(jti: string, expiresAtMs: number, now: number): Promise<boolean> {
    for (const [key, expiresAt] of this.consumed) {
      if (expiresAt + CONSUMED_TOLERANCE_MS <= now) this.consumed.delete(key);
    }
    if (this.consumed.has(jti)) return false;
    this.consumed.set(jti, expiresAtMs);
    const ref = this.claimsByJti.get(jti);
    const claim = ref ? this.rooms.get(ref.room)?.claims.get(ref.seq) : undefined;
    if (claim && claim.jti === jti) claim.consumed = true;
    await this.save();
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
    if (this.dirty) await this.save();
    else await this.lastSave;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  /**
   * Waits for writes already started or queued. Reads call it so that nothing is shown (a new
   * `serving`, a claim) before it is durable; a failed write is reported by its own caller.
   */
  private settled(): Promise<void> {
    return this.lastSave.then(
      () => undefined,
      () => undefined,
    );
  }

  /** The whole state as one document (what the persistence writes). */
  toSnapshot(): StoreSnapshot {
    return {
      format: 1,
      rooms: [...this.rooms.values()].map((entry) => ({
        record: { ...entry.record, config: cloneConfig(entry.record.config) },
        reservedSeq: entry.reservedSeq,
        advances: entry.advances.map((advance) => ({ ...advance })),
        claims: [...entry.claims.values()].map((claim) => ({ ...claim })),
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
        advances: room.advances.map((advance) => ({ ...advance })),
        claims: new Map(room.claims.map((claim) => [claim.seq, { ...claim }])),
      });
      for (const claim of room.claims) {
        this.claimsByJti.set(claim.jti, { room: room.record.room, seq: claim.seq });
      }
    }
    for (const [jti, expiresAt] of snapshot.consumed) this.consumed.set(jti, expiresAt);
    for (const sample of snapshot.counters) this.counters.set(counterId(sample), { ...sample });
    this.keys = snapshot.keys.map((key) => ({ ...key }));
    for (const draw of snapshot.draws ?? []) {
      const { room, ...record } = draw;
      this.draws.set(room, cloneDraw(record));
    }
  }

  /** Drops history no rule can need any more, keeping memory and snapshots bounded. */
  private prune(entry: RoomEntry, now: number): void {
    const keepMs = Math.max(entry.record.config.holdSeconds * 1000, MINUTE_MS) + MINUTE_MS;
    const cutoff = now - keepMs;
    let firstKept = 0;
    while (firstKept + 1 < entry.advances.length && entry.advances[firstKept + 1]!.at <= cutoff) {
      firstKept += 1;
    }
    // The newest record older than the cutoff stays: it says where `serving` stood before.
    if (firstKept > 0) entry.advances.splice(0, firstKept);
    // Claims outlive their admission for the hold window, so a visitor who booked cannot claim
    // their turn a second time; the expired token itself is dropped to keep snapshots small.
    const claimCutoff = now - Math.max(entry.record.config.holdSeconds * 1000, MINUTE_MS);
    for (const [seq, claim] of entry.claims) {
      if (claim.expiresAt > now) continue;
      if (claim.claimedAt <= claimCutoff) {
        entry.claims.delete(seq);
        this.claimsByJti.delete(claim.jti);
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

function cloneConfig(config: RoomConfig): RoomConfig {
  const copy = { ...config, allowedOrigins: [...config.allowedOrigins] };
  if (config.cohorts) copy.cohorts = config.cohorts.map((cohort) => ({ ...cohort }));
  return copy;
}

function cloneDraw(draw: DrawRecord): DrawRecord {
  return { ...draw, entrants: [...draw.entrants] };
}
