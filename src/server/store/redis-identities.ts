/**
 * Identity bindings and released places of a {@link RedisStore} (see `redis-store.ts`): writes
 * by the Lua scripts of `redis-identity-scripts.ts`, reads by single commands. Unguarded: the
 * store maps outages.
 */
import { decodeBinding, encodeBinding } from './identity-records.js';
import type { IdentityBinding, IdentityBindingChange } from './identity-records.js';
import type { RedisClient } from './redis-connection.js';
import { noRoom } from './redis-guard.js';
import type { RedisKeys } from './redis-keys.js';

type Call = (name: string, keys: string[], args: Array<string | number>) => Promise<unknown>;

/** The identity operations of one store. */
export class RedisIdentities {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly script: Call,
  ) {}

  async get(room: string, idh: string): Promise<IdentityBinding | null> {
    return decodeBinding(await this.redis.hget(this.keys.room(room).identities, idh));
  }

  async bind(room: string, change: IdentityBindingChange, now: number): Promise<IdentityBinding> {
    const keys = this.keys.room(room);
    const held = await this.script(
      'qgBindIdentity',
      [keys.room, keys.identities, keys.released],
      [
        change.idh,
        encodeBinding(change.expected),
        encodeBinding(change.next),
        change.release?.sub ?? '',
        change.release?.keepUntil ?? 0,
        now,
      ],
    ).catch(noRoom(room));
    return decodeBinding(held as string)!;
  }

  async release(room: string, sub: string, keepUntil: number, now: number): Promise<void> {
    const keys = this.keys.room(room);
    await this.script('qgReleasePlace', [keys.room, keys.released], [sub, keepUntil, now]).catch(
      noRoom(room),
    );
  }

  async isReleased(room: string, sub: string, now: number): Promise<boolean> {
    const keepUntil = await this.redis.zscore(this.keys.room(room).released, sub);
    return keepUntil !== null && Number(keepUntil) > now;
  }
}
