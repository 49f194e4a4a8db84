/**
 * The shared store: rooms, seqs, claims, used admissions, counters, signing keys, the join
 * counts per client and the fairness series in Redis (or Valkey), so that any number of server
 * processes behind a load balancer act as one. The operations live beside it by job: rooms in
 * `redis-rooms.ts`, claims in `redis-claims.ts`, draws in `redis-draws.ts`, counters and keys
 * in `redis-tallies.ts`, join counts and fairness series in `redis-shared.ts`.
 *
 * What each operation costs and why:
 * - every read-modify-write is one Lua script (see `redis-scripts.ts`), atomic across processes;
 * - joins take seqs from small per-process blocks (see `redis-seq-blocks.ts`), so most joins
 *   touch Redis only to read the room; a room's `issued` is the highest seq handed out *or
 *   reserved*, and reserved seqs that are never handed out count as visitors who walked away;
 * - counters are added up in memory and written by {@link RedisStore.flush} (the server flushes
 *   every few seconds), so metrics cost no round trip per request;
 * - the first process to save signing keys wins ({@link RedisStore.initSigningKeys}); the others
 *   load them, so every process signs and verifies with the same keys.
 *
 * Why fail fast: with the offline queue off and a command timeout, an unreachable Redis makes
 * every operation reject at once with {@link StoreUnavailableError}, which the server answers
 * with `503 overloaded` and `Retry-After` instead of piling up requests.
 */
import type { RoomStatus } from '../../protocol.js';
import type { StoredSigningKey } from '../token-signer.js';
import { createRedisLease } from '../lease.js';
import type { Lease } from '../lease.js';
import type { ReservedClaimsCounter } from './claim-capacity.js';
import type { RedisClient } from './redis-connection.js';
import { RedisClaims } from './redis-claims.js';
import { guarded } from './redis-guard.js';
import { DEFAULT_REDIS_KEY_PREFIX, redisKeys } from './redis-keys.js';
import type { RedisKeys } from './redis-keys.js';
import { RedisDraws } from './redis-draws.js';
import { RedisIdentities } from './redis-identities.js';
import { RedisRooms } from './redis-rooms.js';
import { RedisShared } from './redis-shared.js';
import { openScriptedClient } from './redis-scripts-all.js';
import type { ScriptName } from './redis-scripts-all.js';
import { createSeqBlocks } from './redis-seq-blocks.js';
import { RedisTallies } from './redis-tallies.js';
import type { SeqBlocks } from './redis-seq-blocks.js';
import type { RedisStoreOptions } from './redis-options.js';
import { StoreUnavailableError } from './store-errors.js';
import { CONSUMED_TOLERANCE_MS } from './store-policy.js';
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

export type { RedisStoreOptions } from './redis-options.js';

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/**
 * A {@link QueueStore} in Redis, shared by every process that opens it with the same URL and
 * prefix.
 *
 * Activity (`getActivity`) leaves out the signed admissions (empty strings): no rule reads
 * them, and a busy room keeps thousands of claims; `getClaim` returns them.
 *
 * @example
 * ```ts
 * // The CLI does this when QUEUE_GATE_REDIS_URL is set (see `startQueueServer({ redisUrl })`).
 * const store = await RedisStore.open({ url: 'redis://127.0.0.1:6379' });
 * const signer = await createTokenSigner({ issuer, keys: await store.loadSigningKeys() });
 * const service = createQueueService({ store, signer, publicOrigin: issuer });
 * setInterval(() => void tickUnderLease(store.lease('admission-control'), service), 1000);
 * ```
 */
export class RedisStore implements QueueStore, ReservedClaimsCounter {
  /** Connects, failing within `connectTimeoutMs` with {@link StoreUnavailableError}. */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    return new RedisStore(await openScriptedClient(options), options);
  }

  /** The ioredis client, `Redis` or `Cluster` (shared with leases made by {@link RedisStore.lease}). */
  readonly redis: RedisClient;
  /** The key names used. */
  readonly keys: RedisKeys;
  private readonly blocks: SeqBlocks;
  private readonly tallies: RedisTallies;
  private readonly draws: RedisDraws;
  private readonly rooms: RedisRooms;
  private readonly claims: RedisClaims;
  private readonly shared: RedisShared;
  private readonly identities: RedisIdentities;

  private constructor(redis: RedisClient, options: RedisStoreOptions) {
    this.redis = redis;
    this.keys = redisKeys(options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX);
    this.tallies = new RedisTallies(redis, this.keys);
    const script = (name: string, keys: string[], args: Array<string | number>) =>
      this.script(name as ScriptName, keys, args);
    this.rooms = new RedisRooms(redis, this.keys, script);
    this.claims = new RedisClaims(this.keys, script);
    this.shared = new RedisShared(this.keys, script);
    this.identities = new RedisIdentities(redis, this.keys, script);
    this.draws = new RedisDraws(redis, (room) => this.keys.room(room).room, script);
    this.blocks = createSeqBlocks({
      ...options.seqBlocks,
      reserve: async (room, count) => {
        const last = await this.script('qgReserveSeqs', [this.keys.room(room).room], [count]);
        return last === null ? null : Number(last);
      },
    });
  }

  listRooms(): Promise<RoomRecord[]> {
    return this.guard(() => this.rooms.list());
  }

  getRoom(room: string): Promise<RoomRecord | null> {
    return this.guard(() => this.rooms.get(room));
  }

  putRoomConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord> {
    return this.guard(() => this.rooms.putConfig(room, config, now));
  }

  setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    return this.guard(() => this.rooms.setStatus(room, status));
  }

  allocateSeq(room: string, now: number): Promise<number | null> {
    return this.guard(() => this.blocks.next(room, now));
  }

  advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    return this.guard(() => this.rooms.advance(room, to, now));
  }

  getActivity(room: string, now: number): Promise<RoomActivity> {
    return this.guard(() => this.rooms.activity(room, now));
  }

  getAdvances(room: string, now: number): Promise<AdvanceRecord[]> {
    return this.guard(() => this.rooms.advances(room, now));
  }

  getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null> {
    return this.guard(() => this.claims.get(room, seq, now));
  }

  recordClaim(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    return this.guard(() => this.claims.record(room, claim, now, capacity));
  }

  /** Counted inside Redis (see `claim-capacity.ts`), so a claim never copies a room's activity. */
  reservedForClaim(room: string, seq: number, now: number, claimGraceMs: number): Promise<number> {
    return this.guard(() => this.claims.reservedFor(room, seq, now, claimGraceMs));
  }

  bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    return this.guard(() => this.claims.book(room, seq, keepUntil, now));
  }

  async consumeJti(key: string, expiresAtMs: number, now: number): Promise<boolean> {
    return this.guard(async () => {
      // Kept until `max(expiry, now) + tolerance`, as the embedded store keeps it.
      const keepForMs = Math.max(expiresAtMs - now, 0) + CONSUMED_TOLERANCE_MS;
      const won = await this.script('qgConsumeKey', [this.keys.jti(key)], [keepForMs]);
      return Number(won) === 1;
    });
  }

  countNewPlace(key: string, windowMs: number, limit: number, now: number): Promise<NewPlaceCount> {
    return this.guard(() => this.shared.countNewPlace(key, windowMs, limit, now));
  }

  recordFairness(
    room: string,
    entry: FairnessEntry,
    bounds: FairnessBounds,
  ): Promise<FairnessAppend> {
    return this.guard(() => this.shared.recordFairness(room, entry, bounds));
  }

  readFairness(room: string): Promise<FairnessSeries> {
    return this.guard(() => this.shared.readFairness(room));
  }

  async incrementCounter(key: CounterKey, by = 1): Promise<void> {
    this.tallies.increment(key, by);
  }

  readCounters(): Promise<CounterSample[]> {
    return this.tallies.readCounters();
  }

  loadSigningKeys(): Promise<StoredSigningKey[]> {
    return this.tallies.loadKeys();
  }

  saveSigningKeys(keys: StoredSigningKey[]): Promise<void> {
    return this.tallies.saveKeys(keys);
  }

  initSigningKeys(keys: StoredSigningKey[]): Promise<StoredSigningKey[]> {
    return this.tallies.initKeys(keys);
  }

  /** Writes the counters added up since the last flush. */
  flush(): Promise<void> {
    return this.tallies.flush();
  }

  commitDraw(room: string, draw: DrawCommitment): Promise<DrawRecord> {
    return this.guard(() => this.draws.commit(room, draw));
  }

  setDrawBeacon(room: string, value: string, _now: number): Promise<DrawRecord | null> {
    return this.guard(() => this.draws.setBeacon(room, value));
  }

  getDraw(room: string): Promise<DrawRecord | null> {
    return this.guard(() => this.draws.get(room));
  }

  registerPreOpen(room: string, sub: string, _now: number): Promise<boolean> {
    return this.guard(() => this.draws.register(room, sub));
  }

  runDraw(room: string, now: number): Promise<DrawRecord | null> {
    return this.guard(() => this.draws.run(room, now));
  }

  // Identity bindings and released places: see `redis-identities.ts`.
  getIdentityBinding(room: string, idh: string): Promise<IdentityBinding | null> {
    return this.guard(() => this.identities.get(room, idh));
  }
  bindIdentity(room: string, change: IdentityBindingChange, now: number) {
    return this.guard(() => this.identities.bind(room, change, now));
  }
  releasePlace(room: string, sub: string, keepUntil: number, now: number): Promise<void> {
    return this.guard(() => this.identities.release(room, sub, keepUntil, now));
  }
  isPlaceReleased(room: string, sub: string, now: number): Promise<boolean> {
    return this.guard(() => this.identities.isReleased(room, sub, now));
  }

  /**
   * A lease named `name` for this store's Redis, e.g. the one that lets a single process run
   * admission control (see `lease.ts`).
   */
  lease(name: string, options: { ttlMs?: number; owner?: string } = {}): Lease {
    return createRedisLease({
      call: (script, keys, args) => this.guard(() => this.script(script, keys, args)),
      key: this.keys.lease(name),
      ...options,
    });
  }

  /**
   * Flushes the counters and disconnects. A process stopping while Redis is down still stops
   * (its last few seconds of counts are lost; the queue itself is all in Redis already).
   */
  async close(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
    } finally {
      this.redis.disconnect();
    }
  }

  private script(name: ScriptName, keys: string[], args: Array<string | number>): Promise<unknown> {
    const call = (this.redis as unknown as Record<ScriptName, ScriptCall>)[name];
    return call.call(this.redis, ...keys, ...args.map(String));
  }

  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return guarded(operation);
  }
}
