/**
 * The shared store: rooms, seqs, claims, used admissions, counters and signing keys in Redis
 * (or Valkey), so that any number of server processes behind a load balancer act as one.
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
import { claimOfPlace } from './claim-rules.js';
import { connectRedisClient, createRedisClient, redactUrl } from './redis-connection.js';
import type { RedisClient } from './redis-connection.js';
import { advancesFrom, claimFromJson, parseHash, roomFromHash } from './redis-codec.js';
import { guarded, noRoom } from './redis-guard.js';
import { DEFAULT_REDIS_KEY_PREFIX, redisKeys } from './redis-keys.js';
import type { RedisKeys } from './redis-keys.js';
import { REDIS_SCRIPTS } from './redis-scripts.js';
import { REDIS_DRAW_SCRIPTS } from './redis-draw-scripts.js';
import { RedisDraws } from './redis-draws.js';
import { createSeqBlocks } from './redis-seq-blocks.js';
import { RedisTallies } from './redis-tallies.js';
import type { SeqBlocks } from './redis-seq-blocks.js';
import type { RedisStoreOptions } from './redis-options.js';
import { StoreUnavailableError } from './store-errors.js';
import { CONSUMED_TOLERANCE_MS, RETENTION, retentionArgs } from './store-policy.js';
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

export type { RedisStoreOptions } from './redis-options.js';

type ScriptName = keyof typeof REDIS_SCRIPTS | keyof typeof REDIS_DRAW_SCRIPTS;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** The trailing ARGV of the scripts that prune moves of `serving` only. */
const ADVANCE_ARGS = retentionArgs().slice(0, 2);

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
export class RedisStore implements QueueStore {
  /** Connects, failing within `connectTimeoutMs` with {@link StoreUnavailableError}. */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const redis = createRedisClient(options);
    // Without a listener ioredis reports every failed reconnect as an unhandled error.
    redis.on('error', () => {});
    for (const [name, script] of Object.entries({ ...REDIS_SCRIPTS, ...REDIS_DRAW_SCRIPTS })) {
      redis.defineCommand(name, script);
    }
    try {
      await connectRedisClient(redis, options.connectTimeoutMs ?? 3000);
    } catch (error) {
      const what = options.cluster ? 'the Redis Cluster' : 'Redis';
      throw new StoreUnavailableError(`Cannot connect to ${what} at ${redactUrl(options.url)}.`, {
        cause: error,
      });
    }
    return new RedisStore(redis, options);
  }

  /** The ioredis client, `Redis` or `Cluster` (shared with leases made by {@link RedisStore.lease}). */
  readonly redis: RedisClient;
  /** The key names used. */
  readonly keys: RedisKeys;
  private readonly blocks: SeqBlocks;
  private readonly tallies: RedisTallies;
  private readonly draws: RedisDraws;

  private constructor(redis: RedisClient, options: RedisStoreOptions) {
    this.redis = redis;
    this.keys = redisKeys(options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX);
    this.tallies = new RedisTallies(redis, this.keys);
    this.draws = new RedisDraws(
      redis,
      (room) => this.keys.room(room).room,
      (name, keys, args) => this.script(name, keys, args),
    );
    this.blocks = createSeqBlocks({
      ...options.seqBlocks,
      reserve: async (room, count) => {
        const last = await this.script('qgReserveSeqs', [this.keys.room(room).room], [count]);
        return last === null ? null : Number(last);
      },
    });
  }

  async listRooms(): Promise<RoomRecord[]> {
    return this.guard(async () => {
      const ids = await this.redis.zrange(this.keys.rooms, 0, -1);
      if (ids.length === 0) return [];
      // One command per room, not a pipeline: each room lives in its own Cluster slot, and a
      // Cluster pipeline must stay in one slot. ioredis writes them all without waiting for
      // answers, so this still costs about one round trip.
      const hashes = await Promise.all(
        ids.map((id) => this.redis.hgetall(this.keys.room(id).room)),
      );
      // An id indexed by a process that died before creating the room is skipped.
      return hashes.filter((hash) => hash.room !== undefined).map(roomFromHash);
    });
  }

  async getRoom(room: string): Promise<RoomRecord | null> {
    return this.guard(async () => {
      const hash = await this.redis.hgetall(this.keys.room(room).room);
      return hash.room === undefined ? null : roomFromHash(hash);
    });
  }

  async putRoomConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord> {
    return this.guard(async () => {
      // Indexed first: a crash in between leaves an index entry without a room (skipped),
      // never a room that `listRooms` (and so admission control) would not see.
      await this.redis.zadd(this.keys.rooms, 'NX', now, room);
      const keys = this.keys.room(room);
      const hash = await this.script(
        'qgPutRoom',
        [keys.room, keys.advances],
        [room, JSON.stringify(config), config.holdSeconds, now],
      );
      return roomFromHash(parseHash(hash)!);
    });
  }

  async setRoomStatus(room: string, status: RoomStatus, _now: number): Promise<RoomRecord | null> {
    return this.guard(async () => {
      const hash = parseHash(
        await this.script('qgSetStatus', [this.keys.room(room).room], [status]),
      );
      return hash ? roomFromHash(hash) : null;
    });
  }

  async allocateSeq(room: string, now: number): Promise<number | null> {
    return this.guard(() => this.blocks.next(room, now));
  }

  async advanceServing(room: string, to: number, now: number): Promise<RoomRecord | null> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const hash = parseHash(
        await this.script(
          'qgAdvanceServing',
          [keys.room, keys.advances],
          [to, now, ...ADVANCE_ARGS],
        ),
      );
      return hash ? roomFromHash(hash) : null;
    });
  }

  async getActivity(room: string, now: number): Promise<RoomActivity> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const [advances, claims, hold] = (await this.script(
        'qgGetActivity',
        [keys.room, keys.advances, keys.claims, keys.admissions, keys.claimed],
        [now, ...retentionArgs(RETENTION)],
      )) as [string[], string[], string | null];
      return {
        advances: advancesFrom(advances, Number(hold ?? 0)),
        // Activity leaves the signed admissions out: no rule reads them.
        claims: claims.map((json) => claimFromJson(json, '')).sort((a, b) => a.seq - b.seq),
      };
    });
  }

  async getAdvances(room: string, now: number): Promise<AdvanceRecord[]> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const [advances, hold] = (await this.script(
        'qgGetAdvances',
        [keys.room, keys.advances],
        [now, ...ADVANCE_ARGS],
      )) as [string[], string];
      return advancesFrom(advances, Number(hold));
    });
  }

  async getClaim(room: string, seq: number, now: number): Promise<ClaimRecord | null> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const [json, admission, booked] = (await this.script(
        'qgGetClaim',
        [keys.claims, keys.admissions, keys.booked],
        [seq, now],
      )) as [string | null, string | null, number];
      const claim = json === null ? null : claimFromJson(json, admission);
      return claimOfPlace(seq, claim, Number(booked) === 1, now);
    });
  }

  async recordClaim(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const { admission, ...stored } = claim;
      const result = (await this.script(
        'qgRecordClaim',
        [keys.room, keys.claims, keys.admissions, keys.claimed, keys.booked, keys.active],
        [
          claim.seq,
          JSON.stringify(stored),
          admission,
          now,
          capacity?.maxActive ?? -1,
          capacity?.reserved ?? 0,
          RETENTION.claimMinKeepMs,
        ],
      ).catch(noRoom(room))) as [string | null, string | null, number] | 'full';
      if (result === 'full') return 'full';
      const holder = result[0] === null ? null : claimFromJson(result[0], result[1]);
      return claimOfPlace(claim.seq, holder, Number(result[2]) === 1, now)!;
    });
  }

  async bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const won = await this.script(
        'qgBookPlace',
        [keys.room, keys.booked, keys.claims, keys.active],
        [seq, keepUntil, now],
      ).catch(noRoom(room));
      return Number(won) === 1;
    });
  }

  async consumeJti(key: string, expiresAtMs: number, now: number): Promise<boolean> {
    return this.guard(async () => {
      // Kept until `max(expiry, now) + tolerance`, as the embedded store keeps it.
      const keepForMs = Math.max(expiresAtMs - now, 0) + CONSUMED_TOLERANCE_MS;
      const won = await this.script('qgConsumeKey', [this.keys.jti(key)], [keepForMs]);
      return Number(won) === 1;
    });
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

  commitDraw(
    room: string,
    draw: Pick<DrawRecord, 'seed' | 'commitment' | 'committedAt' | 'opensAt'>,
  ): Promise<DrawRecord> {
    return this.guard(() => this.draws.commit(room, draw));
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
