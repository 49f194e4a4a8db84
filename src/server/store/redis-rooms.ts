/**
 * Room operations of a {@link RedisStore} (see `redis-store.ts`): the room index, a room's
 * hash, its configuration and status, and its moves of `serving` with the recent activity.
 * Unguarded: the store maps outages.
 */
import type { RoomStatus } from '../../protocol.js';
import type { RedisClient } from './redis-connection.js';
import { advancesFrom, claimFromJson, parseHash, roomFromHash } from './redis-codec.js';
import type { RedisKeys } from './redis-keys.js';
import { RETENTION, retentionArgs } from './store-policy.js';
import type { AdvanceRecord, RoomActivity, RoomConfig, RoomRecord } from './queue-store.js';

type Call = (name: string, keys: string[], args: Array<string | number>) => Promise<unknown>;

/** The trailing ARGV of the scripts that prune moves of `serving` only. */
const ADVANCE_ARGS = retentionArgs().slice(0, 2);

/** Rooms of one store. */
export class RedisRooms {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly script: Call,
  ) {}

  async list(): Promise<RoomRecord[]> {
    const ids = await this.redis.zrange(this.keys.rooms, 0, -1);
    if (ids.length === 0) return [];
    // One command per room, not a pipeline: each room lives in its own Cluster slot, and a
    // Cluster pipeline must stay in one slot. ioredis writes them all without waiting for
    // answers, so this still costs about one round trip.
    const hashes = await Promise.all(ids.map((id) => this.redis.hgetall(this.keys.room(id).room)));
    // An id indexed by a process that died before creating the room is skipped.
    return hashes.filter((hash) => hash.room !== undefined).map(roomFromHash);
  }

  async get(room: string): Promise<RoomRecord | null> {
    const hash = await this.redis.hgetall(this.keys.room(room).room);
    return hash.room === undefined ? null : roomFromHash(hash);
  }

  async putConfig(room: string, config: RoomConfig, now: number): Promise<RoomRecord> {
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
  }

  async setStatus(room: string, status: RoomStatus): Promise<RoomRecord | null> {
    const hash = parseHash(await this.script('qgSetStatus', [this.keys.room(room).room], [status]));
    return hash ? roomFromHash(hash) : null;
  }

  async advance(room: string, to: number, now: number): Promise<RoomRecord | null> {
    const keys = this.keys.room(room);
    const hash = parseHash(
      await this.script('qgAdvanceServing', [keys.room, keys.advances], [to, now, ...ADVANCE_ARGS]),
    );
    return hash ? roomFromHash(hash) : null;
  }

  async activity(room: string, now: number): Promise<RoomActivity> {
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
  }

  async advances(room: string, now: number): Promise<AdvanceRecord[]> {
    const keys = this.keys.room(room);
    const [advances, hold] = (await this.script(
      'qgGetAdvances',
      [keys.room, keys.advances],
      [now, ...ADVANCE_ARGS],
    )) as [string[], string];
    return advancesFrom(advances, Number(hold));
  }
}
