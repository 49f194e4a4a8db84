/**
 * Lua scripts of the identity bindings and released places of a {@link RedisStore} (see
 * `identity-records.ts`). Every key is tagged `{room}`, so each script runs on one Cluster node
 * and is one atomic step across processes.
 */
import type { RedisScript } from './redis-scripts.js';

/** Drops released places past their time (ZSET scored by keep-until). */
const PRUNE_RELEASED = `
local function pruneReleased(key, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
end
`;

/** Marks a place released, keeping the later of two keep-until times. */
const MARK_RELEASED = `
local function markReleased(key, sub, keepUntil)
  local kept = tonumber(redis.call('ZSCORE', key, sub))
  if not kept or kept < keepUntil then redis.call('ZADD', key, keepUntil, sub) end
end
`;

/**
 * Sets an identity's binding if it is still the one expected, and releases a place in the same
 * step. KEYS: room, identities, released. ARGV: idh, expected ('' for none), next, released
 * sub ('' for none), keep-until, now. Returns the binding held afterwards; errors `NOROOM`.
 */
export const BIND_IDENTITY: RedisScript = {
  numberOfKeys: 3,
  lua: `${PRUNE_RELEASED}${MARK_RELEASED}
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOROOM no such room') end
local current = redis.call('HGET', KEYS[2], ARGV[1]) or ''
if current ~= ARGV[2] then return current end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
if ARGV[4] ~= '' then
  pruneReleased(KEYS[3], tonumber(ARGV[6]))
  markReleased(KEYS[3], ARGV[4], tonumber(ARGV[5]))
end
return ARGV[3]
`,
};

/**
 * Marks a place released. KEYS: room, released. ARGV: sub, keep-until, now. Errors `NOROOM`.
 */
export const RELEASE_PLACE: RedisScript = {
  numberOfKeys: 2,
  lua: `${PRUNE_RELEASED}${MARK_RELEASED}
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOROOM no such room') end
pruneReleased(KEYS[2], tonumber(ARGV[3]))
markReleased(KEYS[2], ARGV[1], tonumber(ARGV[2]))
return 1
`,
};

/** The identity scripts, by the command names the store defines them under. */
export const REDIS_IDENTITY_SCRIPTS = {
  qgBindIdentity: BIND_IDENTITY,
  qgReleasePlace: RELEASE_PLACE,
};
