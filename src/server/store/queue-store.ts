/**
 * The storage contract of the queue server.
 *
 * Why domain operations and not get/set: several server processes may share one store (a
 * `RedisStore` running Lua scripts implements this same interface). Every operation here is
 * atomic on its own, so two processes can never hand out the same seq, move `serving` back,
 * or both win the single use of one admission.
 */
import type { RoomStatus } from '../../protocol.js';
import type { StoredSigningKey } from '../token-signer.js';

/** What an operator configures per room (see `room-config.ts` for defaults and bounds). */
export interface RoomConfig {
  /** Target of real admissions (claims) per minute; 0 means only `advance` moves the line. */
  admitPerMinute: number;
  /** Most admissions outstanding at once (claimed, unexpired, unconsumed); null for no limit. */
  maxActive: number | null;
  /** How long after their turn a visitor may still claim admission, in seconds. */
  holdSeconds: number;
  /** `aud` of the admissions; null means the server's public origin. */
  audience: string | null;
  /** Origins allowed to call join/admit from a browser (`*` for any); same origin always is. */
  allowedOrigins: string[];
  /** When the line starts moving, in epoch milliseconds; null when it moves right away. */
  opensAt: number | null;
  /** Poll interval for the front of the line, in milliseconds. */
  pollAfterMs: number;
}

/** A room as stored: its configuration and the two numbers that make the line. */
export interface RoomRecord {
  room: string;
  config: RoomConfig;
  status: RoomStatus;
  /** Highest seq allowed to claim admission. Never decreases. */
  serving: number;
  /** Highest seq handed out. Never decreases, never repeats. */
  issued: number;
  createdAt: number;
  /** Bumped on every change a state answer shows, so caches know when to rebuild. */
  version: number;
}

/** One move of `serving`: after `at`, seqs up to `serving` could claim. */
export interface AdvanceRecord {
  at: number;
  serving: number;
}

/** An admission handed out for one seq (kept so a retried claim gets the very same token). */
export interface ClaimRecord {
  seq: number;
  sub: string;
  jti: string;
  /** The signed admission, returned unchanged to retries while it is valid. */
  admission: string;
  claimedAt: number;
  expiresAt: number;
  /** Set when the booking backend consumed the admission through this store. */
  consumed: boolean;
}

/** Recent history of a room: what admission control and the hold window are computed from. */
export interface RoomActivity {
  /** Claims of the hold window (at least the last minute), valid or not. */
  claims: ClaimRecord[];
  /**
   * Moves of `serving`, oldest first, covering at least the room's hold window. The first
   * record may be older than that window: it tells where `serving` stood before it.
   */
  advances: AdvanceRecord[];
}

/** Names of the counters behind `/metrics`. */
export type CounterName = 'joins' | 'admissions' | 'rejections' | 'errors';

/** Identifies one counter series. */
export interface CounterKey {
  name: CounterName;
  room?: string;
  /** Error code, for `rejections` and `errors`. */
  code?: string;
}

/** A counter's current value. */
export interface CounterSample extends CounterKey {
  value: number;
}

/**
 * The async, atomic domain operations the server needs from its storage.
 *
 * @example
 * ```ts
 * const store = await MemoryStore.open();
 * await store.putRoomConfig('demo', config, Date.now());
 * const seq = await store.allocateSeq('demo', Date.now());
 * ```
 */
export interface QueueStore {
  /** All rooms, in creation order. */
  listRooms(): Promise<RoomRecord[]>;
  /** One room, or null when it does not exist. */
  getRoom(room: string): Promise<RoomRecord | null>;
  /** Creates the room (status `open`, serving 0) or replaces its configuration. */
  putRoomConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord>;
  /** Sets open/paused/closed; null when the room does not exist. */
  setRoomStatus(room: string, status: RoomStatus, now: number): Promise<RoomRecord | null>;
  /** Hands out the next seq (never one handed out before, even across crashes); null for no room. */
  allocateSeq(room: string, now: number): Promise<number | null>;
  /** Raises `serving` to `to` (never lowers it) and records the move; null for no room. */
  advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null>;
  /** Recent claims and moves of `serving` (see {@link RoomActivity}). */
  getActivity(room: string, now: number): Promise<RoomActivity>;
  /**
   * The claim for `seq`, kept (even expired or consumed) for the room's hold window, else null.
   * The `admission` of an expired claim may be dropped (empty string).
   */
  getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null>;
  /**
   * Records `claim` unless an unexpired or consumed claim for the same seq exists; returns
   * whichever claim now holds the seq. Durable before it resolves.
   */
  recordClaim(room: string, claim: ClaimRecord, now: number): Promise<ClaimRecord>;
  /** True the first time `jti` is consumed, false afterwards. Durable before it resolves. */
  consumeJti(jti: string, expiresAtMs: number, now: number): Promise<boolean>;
  /** Adds `by` (default 1) to a counter. */
  incrementCounter(key: CounterKey, by?: number): Promise<void>;
  /** Every counter with its value. */
  readCounters(): Promise<CounterSample[]>;
  /** The signing keys saved before, or an empty list. */
  loadSigningKeys(): Promise<StoredSigningKey[]>;
  /** Saves the signing keys (private keys included). Durable before it resolves. */
  saveSigningKeys(keys: StoredSigningKey[]): Promise<void>;
  /** Writes anything not yet durable (counters). */
  flush(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
