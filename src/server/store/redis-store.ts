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
import { ReplyError } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RoomStatus } from '../../protocol.js';
import type { StoredSigningKey } from '../token-signer.js';
import { createRedisLease } from '../lease.js';
import type { Lease } from '../lease.js';
import { connectRedisClient, createRedisClient, redactUrl } from './redis-connection.js';
import type { RedisClient } from './redis-connection.js';
import { DEFAULT_REDIS_KEY_PREFIX, redisKeys } from './redis-keys.js';
import type { RedisKeys } from './redis-keys.js';
import { REDIS_SCRIPTS } from './redis-scripts.js';
import { REDIS_DRAW_SCRIPTS, redisDrawKeys } from './redis-draw-scripts.js';
import type { RedisScriptName } from './redis-scripts.js';
import { createSeqBlocks } from './redis-seq-blocks.js';
import type { SeqBlockOptions, SeqBlocks } from './redis-seq-blocks.js';
import { StoreUnavailableError } from './store-errors.js';
import type {
  AdvanceRecord,
  ClaimCapacity,
  ClaimRecord,
  CounterKey,
  CounterName,
  CounterSample,
  DrawRecord,
  QueueStore,
  RoomActivity,
  RoomConfig,
  RoomRecord,
} from './queue-store.js';

/** Options of {@link RedisStore.open}. */
export interface RedisStoreOptions {
  /**
   * `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS); with `cluster`, a
   * comma-separated list of seed nodes (`redis://10.0.0.1:7000,redis://10.0.0.2:7000`).
   */
  url: string;
  /**
   * Talk to a Redis Cluster (ioredis `Cluster`): `url` lists seed nodes, the client learns
   * the rest. Every key of a room shares the `{room}` hash tag, so each script runs on one node.
   */
  cluster?: boolean;
  /** Prefix of every key (default `queue-gate:`); lets several deployments share one Redis. */
  keyPrefix?: string;
  /** A command that gets no answer within this many ms fails (default 1000). */
  commandTimeoutMs?: number;
  /** Connecting at start fails after this many ms (default 3000). */
  connectTimeoutMs?: number;
  /** Tuning of the per-process seq blocks (see `createSeqBlocks`). */
  seqBlocks?: Omit<SeqBlockOptions, 'reserve'>;
  /** Extra ioredis options, per node for a Cluster (tests use it to shorten reconnect delays). */
  redisOptions?: Partial<RedisOptions>;
  /** Extra ioredis Cluster options (only with `cluster`). */
  clusterOptions?: Partial<ClusterOptions>;
}

/** Used keys are kept this long past their expiry, covering verifiers' clock tolerance. */
const CONSUMED_TOLERANCE_MS = 5 * 60_000;

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

const counterField = (key: CounterKey): string =>
  JSON.stringify([key.name, key.room ?? '', key.code ?? '']);

/** ioredis types its `ReplyError` (an error answer of Redis itself) loosely. */
const isReplyError = (error: unknown): error is Error =>
  error instanceof (ReplyError as typeof Error);

/** Redis answers that mean "try again shortly" rather than a bug in a script. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)/;

/** Keys of several Cluster slots in one script (Redis) or pipeline (ioredis). */
const CROSS_SLOT = /^CROSSSLOT|should belong to the same slot/;

/**
 * Turns connection failures (refused, closed, timed out, offline) into
 * {@link StoreUnavailableError}; script errors and programming errors stay what they are.
 */
function unavailable(error: unknown): never {
  const bug =
    error instanceof TypeError ||
    error instanceof SyntaxError ||
    error instanceof RangeError ||
    (isReplyError(error) && !TRANSIENT_REPLY.test(error.message)) ||
    // ioredis refuses a Cluster pipeline over several slots itself (not a ReplyError): a bug
    // in the key layout, not an outage, so it must not hide behind a 503.
    (error instanceof Error && CROSS_SLOT.test(error.message));
  if (bug || !(error instanceof Error)) throw error;
  throw new StoreUnavailableError('The queue store (Redis) is unreachable.', { cause: error });
}

function parseHash(flat: unknown): Record<string, string> | null {
  if (!Array.isArray(flat) || flat.length === 0) return null;
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[String(flat[i])] = String(flat[i + 1]);
  return hash;
}

function roomFromHash(hash: Record<string, string>): RoomRecord {
  return {
    room: hash.room!,
    config: JSON.parse(hash.config!) as RoomConfig,
    status: hash.status as RoomStatus,
    serving: Number(hash.serving),
    issued: Number(hash.issued),
    createdAt: Number(hash.createdAt),
    version: Number(hash.version),
  };
}

function claimFrom(json: string, admission: string | null | undefined, now: number): ClaimRecord {
  const stored = JSON.parse(json) as Omit<ClaimRecord, 'admission'>;
  // As in the embedded store, an expired admission is not handed out again.
  return { ...stored, admission: stored.expiresAt > now ? (admission ?? '') : '' };
}

/** A claim as read back, or what a booked place whose claim was dropped reads as. */
function claimOrBooked(
  seq: number,
  json: string | null,
  admission: string | null,
  booked: boolean,
  now: number,
): ClaimRecord | null {
  const claim = json === null ? null : claimFrom(json, admission, now);
  if (!booked) return claim;
  const base = claim ?? { seq, sub: '', jti: '', admission: '', claimedAt: 0, expiresAt: 0 };
  return { ...base, consumed: true };
}

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
  private readonly pendingCounters = new Map<string, number>();
  private flushing: Promise<void> = Promise.resolve();

  private constructor(redis: RedisClient, options: RedisStoreOptions) {
    this.redis = redis;
    this.keys = redisKeys(options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX);
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
        await this.script('qgAdvanceServing', [keys.room, keys.advances], [to, now]),
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
        [now],
      )) as [string[], string[], string | null];
      const roomHold = Number(hold ?? 0);
      return {
        advances: advances.map((entry): AdvanceRecord => {
          const [at, serving, holdSeconds] = entry.split(':');
          // Moves recorded before holds were kept per move hold for the room's hold.
          const hold = holdSeconds ? Number(holdSeconds) : undefined;
          return { at: Number(at), serving: Number(serving), holdSeconds: hold ?? roomHold };
        }),
        claims: claims.map((json) => claimFrom(json, '', now)).sort((a, b) => a.seq - b.seq),
      };
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
      return claimOrBooked(seq, json, admission, Number(booked) === 1, now);
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
        ],
      ).catch((error: unknown) => {
        if (isReplyError(error) && error.message.startsWith('NOROOM')) return null;
        throw error;
      })) as [string | null, string | null, number] | 'full' | null;
      if (result === null) throw new TypeError(`No room ${room}`);
      if (result === 'full') return 'full';
      return claimOrBooked(claim.seq, result[0], result[1], Number(result[2]) === 1, now)!;
    });
  }

  async bookPlace(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    return this.guard(async () => {
      const keys = this.keys.room(room);
      const won = await this.script(
        'qgBookPlace',
        [keys.booked, keys.claims, keys.active],
        [seq, keepUntil, now],
      );
      return Number(won) === 1;
    });
  }

  async consumeJti(key: string, expiresAtMs: number, now: number): Promise<boolean> {
    return this.guard(async () => {
      const won = await this.script(
        'qgConsumeKey',
        [this.keys.jti(key)],
        [Math.max(expiresAtMs - now, 0) + CONSUMED_TOLERANCE_MS],
      );
      return Number(won) === 1;
    });
  }

  async incrementCounter(key: CounterKey, by = 1): Promise<void> {
    const field = counterField(key);
    this.pendingCounters.set(field, (this.pendingCounters.get(field) ?? 0) + by);
  }

  async readCounters(): Promise<CounterSample[]> {
    await this.flush();
    return this.guard(async () => {
      const hash = await this.redis.hgetall(this.keys.counters);
      return Object.entries(hash).map(([field, value]) => {
        const [name, room, code] = JSON.parse(field) as [CounterName, string, string];
        return {
          name,
          ...(room !== '' ? { room } : {}),
          ...(code !== '' ? { code } : {}),
          value: Number(value),
        };
      });
    });
  }

  async loadSigningKeys(): Promise<StoredSigningKey[]> {
    return this.guard(async () => {
      const json = await this.redis.get(this.keys.signingKeys);
      return json === null ? [] : (JSON.parse(json) as StoredSigningKey[]);
    });
  }

  async saveSigningKeys(keys: StoredSigningKey[]): Promise<void> {
    await this.guard(() => this.redis.set(this.keys.signingKeys, JSON.stringify(keys)));
  }

  /**
   * Saves `keys` unless keys are saved already; returns the keys that are saved now. Two
   * processes starting at once both generate keys: the first write wins, the other process
   * loads the winner's, so tokens of either verify at both.
   */
  async initSigningKeys(keys: StoredSigningKey[]): Promise<StoredSigningKey[]> {
    return this.guard(async () => {
      await this.redis.set(this.keys.signingKeys, JSON.stringify(keys), 'NX');
      const json = await this.redis.get(this.keys.signingKeys);
      return json === null ? keys : (JSON.parse(json) as StoredSigningKey[]);
    });
  }

  /** Writes the counters added up since the last flush. */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.pendingCounters.size === 0) return;
      const batch = [...this.pendingCounters];
      this.pendingCounters.clear();
      try {
        // One key, so one slot: a pipeline is fine on a Cluster too.
        const pipeline = this.redis.pipeline();
        for (const [field, by] of batch) pipeline.hincrby(this.keys.counters, field, by);
        const results = (await pipeline.exec()) ?? [];
        for (const [error] of results) if (error) throw error;
      } catch (error) {
        // Kept for the next flush: a Redis outage delays counts, it does not lose them.
        for (const [field, by] of batch) {
          this.pendingCounters.set(field, (this.pendingCounters.get(field) ?? 0) + by);
        }
        unavailable(error);
      }
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  async commitDraw(
    room: string,
    draw: Pick<DrawRecord, 'seed' | 'commitment' | 'committedAt' | 'opensAt'>,
  ): Promise<DrawRecord> {
    return this.guard(async () => {
      const keys = redisDrawKeys(this.keys.room(room).room);
      const hash = parseHash(
        await this.drawScript(
          'qgCommitDraw',
          [keys.draw],
          [draw.seed, draw.commitment, draw.committedAt, draw.opensAt],
        ),
      );
      return this.drawFrom(hash!, keys.entrants);
    });
  }

  async getDraw(room: string): Promise<DrawRecord | null> {
    return this.guard(async () => {
      const keys = redisDrawKeys(this.keys.room(room).room);
      const hash = await this.redis.hgetall(keys.draw);
      return hash.seed === undefined ? null : this.drawFrom(hash, keys.entrants);
    });
  }

  async registerPreOpen(room: string, sub: string, _now: number): Promise<boolean> {
    return this.guard(async () => {
      const roomKey = this.keys.room(room).room;
      const keys = redisDrawKeys(roomKey);
      const added = await this.drawScript(
        'qgRegisterPreOpen',
        [roomKey, keys.draw, keys.entrants],
        [sub],
      );
      return Number(added) === 1;
    });
  }

  async runDraw(room: string, now: number): Promise<DrawRecord | null> {
    return this.guard(async () => {
      const roomKey = this.keys.room(room).room;
      const keys = redisDrawKeys(roomKey);
      const hash = parseHash(
        await this.drawScript('qgRunDraw', [roomKey, keys.draw, keys.entrants], [now]),
      );
      return hash === null ? null : this.drawFrom(hash, keys.entrants);
    });
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

  private script(
    name: RedisScriptName,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown> {
    const call = (this.redis as unknown as Record<RedisScriptName, ScriptCall>)[name];
    return call.call(this.redis, ...keys, ...args.map(String));
  }

  private drawScript(
    name: keyof typeof REDIS_DRAW_SCRIPTS,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown> {
    const call = (this.redis as unknown as Record<string, ScriptCall>)[name]!;
    return call.call(this.redis, ...keys, ...args.map(String));
  }

  private async drawFrom(hash: Record<string, string>, entrantsKey: string): Promise<DrawRecord> {
    return {
      seed: hash.seed!,
      commitment: hash.commitment!,
      committedAt: Number(hash.committedAt),
      opensAt: Number(hash.opensAt),
      drawnAt: hash.drawnAt ? Number(hash.drawnAt) : null,
      base: Number(hash.base),
      entrants: await this.redis.smembers(entrantsKey),
    };
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      return unavailable(error);
    }
  }
}
