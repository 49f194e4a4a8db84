/**
 * The opening draws of the {@link RedisStore} (scripts in `redis-draw-scripts.ts`): the draw
 * hash and its entrants set, read back sorted as every store returns them.
 */
import type { RedisClient } from './redis-connection.js';
import { drawFrom, parseHash } from './redis-codec.js';
import { redisDrawKeys } from './redis-draw-scripts.js';
import type { REDIS_DRAW_SCRIPTS } from './redis-draw-scripts.js';
import type { REDIS_BEACON_SCRIPTS } from './redis-beacon-scripts.js';
import type { DrawCommitment, DrawRecord } from './queue-store.js';

type DrawScript = keyof typeof REDIS_DRAW_SCRIPTS | keyof typeof REDIS_BEACON_SCRIPTS;

/** Draw operations of one store (unguarded: the store maps outages). */
export class RedisDraws {
  constructor(
    private readonly redis: RedisClient,
    private readonly roomKey: (room: string) => string,
    private readonly script: (
      name: DrawScript,
      keys: string[],
      args: Array<string | number>,
    ) => Promise<unknown>,
  ) {}

  commit(room: string, draw: DrawCommitment): Promise<DrawRecord> {
    const beacon = draw.beacon ? JSON.stringify(draw.beacon) : '';
    const args = [draw.seed, draw.commitment, draw.committedAt, draw.opensAt, beacon];
    return this.hashScript(
      room,
      'qgCommitDraw',
      (keys) => [keys.draw],
      args,
    ) as Promise<DrawRecord>;
  }

  async get(room: string): Promise<DrawRecord | null> {
    const keys = redisDrawKeys(this.roomKey(room));
    const hash = await this.redis.hgetall(keys.draw);
    if (hash.seed === undefined) return null;
    return drawFrom(hash, await this.redis.smembers(keys.entrants));
  }

  async register(room: string, sub: string): Promise<boolean> {
    const roomKey = this.roomKey(room);
    const keys = redisDrawKeys(roomKey);
    const added = await this.script(
      'qgRegisterPreOpen',
      [roomKey, keys.draw, keys.entrants],
      [sub],
    );
    return Number(added) === 1;
  }

  run(room: string, now: number): Promise<DrawRecord | null> {
    const roomKey = this.roomKey(room);
    return this.hashScript(room, 'qgRunDraw', (keys) => [roomKey, keys.draw, keys.entrants], [now]);
  }

  /** Sets the value of the draw's beacon round once (see `redis-beacon-scripts.ts`). */
  setBeacon(room: string, value: string): Promise<DrawRecord | null> {
    return this.hashScript(room, 'qgSetDrawBeacon', (keys) => [keys.draw], [value]);
  }

  /** Runs a draw script that answers the draw hash; reads the entrants beside it. */
  private async hashScript(
    room: string,
    name: DrawScript,
    keysOf: (keys: { draw: string; entrants: string }) => string[],
    args: Array<string | number>,
  ): Promise<DrawRecord | null> {
    const keys = redisDrawKeys(this.roomKey(room));
    const hash = parseHash(await this.script(name, keysOf(keys), args));
    return hash === null ? null : drawFrom(hash, await this.redis.smembers(keys.entrants));
  }
}
