/**
 * What the embedded store writes to disk (one JSON document, see `file-persistence.ts`) and
 * where it writes it, and the store's options; the types are re-exported by `memory-store.ts`.
 */
import type { StoredSigningKey } from '../token-signer.js';
import type { JournalEntry } from './store-journal.js';
import type { IdentitySnapshot } from './memory-identities.js';
import type {
  AdvanceRecord,
  ClaimRecord,
  CounterSample,
  DrawRecord,
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
  /** Identity bindings and released places by room (absent before identities existed). */
  identities?: IdentitySnapshot[];
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

/** Where a `MemoryStore` keeps its snapshot (see `file-persistence.ts`). */
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

/** Options of `MemoryStore.open` (re-exported by `memory-store.ts`). */
export interface MemoryStoreOptions {
  /** Makes the store durable; without it everything is lost on exit. */
  persistence?: StorePersistence;
  /** How many seqs one disk write reserves (default 64). */
  seqBlockSize?: number;
  /** Journal entries after which a snapshot is written to empty the journal (default 100,000). */
  compactAfter?: number;
}
