/**
 * The storage contract of the queue server.
 *
 * Why domain operations and not get/set: several server processes may share one store (a
 * `RedisStore` running Lua scripts implements this same interface). Every operation here is
 * atomic on its own, so two processes can never hand out the same seq, move `serving` back,
 * or both win the single use of one admission.
 */
import type { DrawBeacon, RoomStatus } from '../../protocol.js';
import type { RoomIdentity } from '../identity/identity-settings.js';
import type { Lease } from '../lease.js';
import type { StoredSigningKey } from '../token-signer.js';
import type {
  FairnessAppend,
  FairnessBounds,
  FairnessEntry,
  FairnessSeries,
  NewPlaceCount,
} from './shared-records.js';
import type { IdentityStore } from './identity-records.js';

export type { IdentityBinding, IdentityBindingChange, IdentityStore } from './identity-records.js';
export type {
  AdmissionMinute,
  FairnessAppend,
  FairnessBounds,
  FairnessEntry,
  FairnessPoint,
  FairnessSeries,
  NewPlaceCount,
} from './shared-records.js';

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
  /**
   * Cohorts with their own windows (e.g. by birth-date digit); empty for none. Optional so that
   * rooms stored before cohorts existed read back as having none.
   */
  cohorts?: CohortWindow[];
  /**
   * Places bound to a site's signed-in identity (see docs/identity.md); null or absent for
   * none (rooms stored before identities existed read back as having none).
   */
  identity?: RoomIdentity | null;
  /** Whether a join needs an identity; only with `identity`. Absent reads as false. */
  identityRequired?: boolean;
  /**
   * The public beacon round the opening draw is bound to (see docs/opening-day.md); null or
   * absent for a draw from the seed alone. Fixed into the draw when its commitment is made.
   */
  beacon?: DrawBeacon | null;
}

/** One cohort's window: its visitors may join and claim admission from `opensAt` to `closesAt`. */
export interface CohortWindow {
  /** Site-defined key, 1–32 characters of letters, digits, `-`, `_`. */
  id: string;
  /** Epoch ms. */
  opensAt: number;
  /** Epoch ms; null for no end. */
  closesAt: number | null;
}

/**
 * The opening draw of a room (see `opening-draw.ts`): the secret seed and its commitment, and,
 * once drawn, where its seqs start. The entrants are kept beside it ({@link QueueStore.registerPreOpen}).
 */
export interface DrawRecord {
  /** Hex seed: secret until `drawnAt` is set, never served before. */
  seed: string;
  /** Hex SHA-256 of the seed, public from the start. */
  commitment: string;
  committedAt: number;
  /** The opening the draw was committed for (the room's `opensAt` then). */
  opensAt: number;
  /** When the draw ran (atomically, once); null before. */
  drawnAt: number | null;
  /** `issued` when the draw ran: the drawn seqs are `base + 1 .. base + entrants`. */
  base: number;
  /** Pre-open tickets registered (their `sub`s); frozen when the draw runs. */
  entrants: string[];
  /** The beacon round named by the commitment; null or absent for none. */
  beacon?: DrawBeacon | null;
  /**
   * The beacon round's value (lowercase hex), set once after the draw froze; null or absent
   * until then. A draw with a beacon orders nobody before it is set.
   */
  beaconValue?: string | null;
}

/** What a new draw is committed with ({@link QueueStore.commitDraw}). */
export type DrawCommitment = Pick<DrawRecord, 'seed' | 'commitment' | 'committedAt' | 'opensAt'> &
  Pick<DrawRecord, 'beacon'>;

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

/**
 * One move of `serving`: after `at`, seqs up to `serving` could claim, each for `holdSeconds`
 * (the room's hold when the line reached them: changing the setting later moves no turn that
 * already came, so a booking backend can rely on an admission's `placeExp`).
 */
export interface AdvanceRecord {
  at: number;
  serving: number;
  holdSeconds: number;
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

/** The room's limit on admissions outstanding at once, as a claim must respect it. */
export interface ClaimCapacity {
  maxActive: number;
  /** Slots held by turns that came moments ago and are about to claim (not this one). */
  reserved: number;
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
export interface QueueStore extends IdentityStore {
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
  /**
   * Raises `serving` to `to`, but never past `issued` and never lowers it, and records the move
   * with the room's hold; null for no room. Since `serving` never passes a seq before it was
   * handed out, a seq's turn is always a recorded move: the hold is measured from it alone.
   */
  advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null>;
  /** Recent claims and moves of `serving` (see {@link RoomActivity}). */
  getActivity(room: string, now: number): Promise<RoomActivity>;
  /**
   * The moves of `serving` of {@link QueueStore.getActivity} alone (a claim needs only these,
   * and copying every claim per claim adds up).
   */
  getAdvances(room: string, now: number): Promise<AdvanceRecord[]>;
  /**
   * The claim for `seq`, kept (even expired or consumed) for the room's hold window, else null.
   * The `admission` of an expired claim may be dropped (empty string). A booked place reads as
   * consumed, whichever of its admissions booked it.
   */
  getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null>;
  /**
   * Records `claim` unless an unexpired or consumed claim for the same seq exists or the place
   * was booked; returns whichever claim now holds the seq (`consumed` when the place was
   * booked). With `capacity`, a new claim is recorded only while the other active claims
   * (unexpired, unconsumed) plus `capacity.reserved` stay below `capacity.maxActive`, checked
   * in the same atomic step; else `'full'`. Durable before it resolves.
   */
  recordClaim(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'>;
  /**
   * Books place `seq` of `room`, once ever: true the first time, false afterwards, whichever
   * admission of the place is used. Marks the place's claim consumed, so it stops counting as
   * active and the place gets no new admission. The record is kept until `keepUntil` (epoch ms;
   * past it no admission of the place can be valid). Durable before it resolves.
   */
  bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean>;
  /**
   * Generic single use (used join proofs): true the first time `key` is consumed, false
   * afterwards until `expiresAtMs`. Durable before it resolves.
   */
  consumeJti(key: string, expiresAtMs: number, now: number): Promise<boolean>;
  /**
   * Stores the room's draw seed and commitment unless the room already has a draw (one draw per
   * room: a commitment once published never changes); returns the draw the room now has.
   */
  commitDraw(room: string, draw: DrawCommitment): Promise<DrawRecord>;
  /** The room's draw, or null. */
  getDraw(room: string): Promise<DrawRecord | null>;
  /**
   * Registers a pre-open ticket's `sub` for the draw. False (and nothing stored) when the room
   * has no draw or the draw already ran: the caller then hands out an ordinary seq. Durable
   * before it resolves.
   */
  registerPreOpen(room: string, sub: string, now: number): Promise<boolean>;
  /**
   * Runs the draw once, atomically across processes: freezes the entrants, sets `base` to
   * `issued` and raises `issued` by the number of entrants, so every seq handed out afterwards
   * is behind the whole draw. Later calls change nothing and return the same record; null
   * when the room has no draw. Durable before it resolves.
   */
  runDraw(room: string, now: number): Promise<DrawRecord | null>;
  /**
   * Sets the value of the draw's beacon round once, atomically across processes: only for a
   * draw with a beacon that ran (froze its entrants) and has no value yet; otherwise changes
   * nothing. Returns the draw as it now is (the caller compares its `beaconValue`), or null
   * when the room has no draw. Durable before it resolves.
   */
  setDrawBeacon(room: string, value: string, now: number): Promise<DrawRecord | null>;
  /**
   * Counts one new place for client `key` in the fixed window of `windowMs` holding `now`,
   * unless `limit` were counted in it already (then refused, nothing counted). Shared by every
   * process of the store; forgotten once the window ends.
   */
  countNewPlace(key: string, windowMs: number, limit: number, now: number): Promise<NewPlaceCount>;
  /**
   * Adds to the room's fairness series in one atomic step (see `shared-records.ts`): appends
   * the sample unless the last is less than `bounds.minGapMs` older, so processes sharing the
   * store take one sample per interval between them.
   */
  recordFairness(
    room: string,
    entry: FairnessEntry,
    bounds: FairnessBounds,
  ): Promise<FairnessAppend>;
  /** The room's fairness series (empty when none was recorded). */
  readFairness(room: string): Promise<FairnessSeries>;
  /** Adds `by` (default 1) to a counter. */
  incrementCounter(key: CounterKey, by?: number): Promise<void>;
  /** Every counter with its value. */
  readCounters(): Promise<CounterSample[]>;
  /** The signing keys saved before, or an empty list. */
  loadSigningKeys(): Promise<StoredSigningKey[]>;
  /** Saves the signing keys (private keys included). Durable before it resolves. */
  saveSigningKeys(keys: StoredSigningKey[]): Promise<void>;
  /**
   * Saves `keys` unless keys are saved already; returns the keys saved now (the earlier ones,
   * or `keys`). Two processes starting at once on one store end up with the same keys.
   * Durable before it resolves.
   */
  initSigningKeys(keys: StoredSigningKey[]): Promise<StoredSigningKey[]>;
  /**
   * A named lease (see `lease.ts`): held by one process at a time among those sharing the
   * store. The embedded store's lease always holds, since one process owns that store.
   */
  lease(name: string, options?: { ttlMs?: number; owner?: string }): Lease;
  /** Writes anything not yet durable (counters). */
  flush(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
