/**
 * The Lua scripts of the {@link RedisStore} (see `redis-store.ts`).
 *
 * Why Lua: Redis runs a script as one step, so every read-modify-write of a room (handing out
 * seqs, moving `serving`, recording a claim, using an admission) is atomic across any number of
 * server processes without locks or retries. Each script touches only keys of one cluster slot:
 * one room's keys (tagged `{room}`), or a single key.
 *
 * Numbers travel as decimal strings; epoch milliseconds stay exact in Lua's doubles. Every room
 * hash has a `hold`, so reading it also tells whether the room exists (one command, not two). The
 * pruning functions the scripts share live in `redis-prune-scripts.ts`, the draw's scripts in
 * `redis-draw-scripts.ts`, the join counts' and fairness series' in `redis-shared-scripts.ts`.
 */

import { PRUNE_ADVANCES, PRUNE_BOOKED, PRUNE_CLAIMS } from './redis-prune-scripts.js';

/** A script as ioredis' `defineCommand` takes it. */
export interface RedisScript {
  numberOfKeys: number;
  lua: string;
}

/**
 * Creates a room or replaces its configuration.
 * KEYS: room, advances. ARGV: room id, config JSON, hold seconds, now. Returns the room hash.
 */
export const PUT_ROOM: RedisScript = {
  numberOfKeys: 2,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'room', ARGV[1], 'config', ARGV[2], 'hold', ARGV[3],
    'status', 'open', 'serving', 0, 'issued', 0, 'createdAt', ARGV[4], 'version', 1)
  redis.call('DEL', KEYS[2])
  redis.call('RPUSH', KEYS[2], ARGV[4] .. ':0:' .. ARGV[3])
else
  redis.call('HSET', KEYS[1], 'config', ARGV[2], 'hold', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
end
return redis.call('HGETALL', KEYS[1])
`,
};

/** Sets the status. KEYS: room. ARGV: status. Returns the room hash, or nil for no room. */
export const SET_STATUS: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
end
return redis.call('HGETALL', KEYS[1])
`,
};

/**
 * Reserves the next ARGV[1] seqs of a room for one process.
 * KEYS: room. Returns the last seq of the block, or nil for no room.
 */
export const RESERVE_SEQS: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HINCRBY', KEYS[1], 'version', 1)
return redis.call('HINCRBY', KEYS[1], 'issued', ARGV[1])
`,
};

/**
 * Raises `serving` (never lowers it, never past `issued`) and records the move with the room's
 * hold. KEYS: room, advances. ARGV: to, now, advance min hold ms, advance grace ms. Returns the
 * room hash, or nil for no room.
 */
export const ADVANCE_SERVING: RedisScript = {
  numberOfKeys: 2,
  lua: `${PRUNE_ADVANCES}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local to = math.min(tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[1], 'issued')))
local now = tonumber(ARGV[2])
if to > tonumber(redis.call('HGET', KEYS[1], 'serving')) then
  local hold = redis.call('HGET', KEYS[1], 'hold')
  redis.call('HSET', KEYS[1], 'serving', to)
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  redis.call('RPUSH', KEYS[2], ARGV[2] .. ':' .. to .. ':' .. hold)
  pruneAdvances(KEYS[2], now, tonumber(hold), tonumber(ARGV[3]), tonumber(ARGV[4]))
end
return redis.call('HGETALL', KEYS[1])
`,
};

/**
 * Prunes, then reads a room's recent history.
 * KEYS: room, advances, claims, admissions, claimed.
 * ARGV: now, advance min hold ms, advance grace ms, claim min keep ms.
 * Returns `{ advances, claims, hold }` (claims as JSON, without their admissions; the room's
 * hold in seconds, for moves recorded without one).
 */
export const GET_ACTIVITY: RedisScript = {
  numberOfKeys: 5,
  lua: `${PRUNE_ADVANCES}${PRUNE_CLAIMS}
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold'))
if not hold then return {{}, {}} end
local now = tonumber(ARGV[1])
pruneAdvances(KEYS[2], now, hold, tonumber(ARGV[2]), tonumber(ARGV[3]))
pruneClaims(KEYS[3], KEYS[4], KEYS[5], now, hold, tonumber(ARGV[4]))
return {redis.call('LRANGE', KEYS[2], 0, -1), redis.call('HVALS', KEYS[3]), tostring(hold)}
`,
};

/**
 * Prunes, then reads a room's moves of `serving` alone (what a claim needs).
 * KEYS: room, advances. ARGV: now, advance min hold ms, advance grace ms.
 * Returns `{ advances, hold }`.
 */
export const GET_ADVANCES: RedisScript = {
  numberOfKeys: 2,
  lua: `${PRUNE_ADVANCES}
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold'))
if not hold then return {{}, '0'} end
local now = tonumber(ARGV[1])
pruneAdvances(KEYS[2], now, hold, tonumber(ARGV[2]), tonumber(ARGV[3]))
return {redis.call('LRANGE', KEYS[2], 0, -1), tostring(hold)}
`,
};

/**
 * Reads one claim. KEYS: claims, admissions, booked. ARGV: seq, now.
 * Returns `{ claim JSON, admission, booked }` (`booked` is 1 when the place was booked).
 */
export const GET_CLAIM: RedisScript = {
  numberOfKeys: 3,
  lua: `
local keep = tonumber(redis.call('ZSCORE', KEYS[3], ARGV[1]))
local booked = 0
if keep and keep > tonumber(ARGV[2]) then booked = 1 end
return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HGET', KEYS[2], ARGV[1]), booked}
`,
};

/**
 * Records a claim unless the place was booked or an unexpired or consumed claim holds the seq,
 * or (with a max-active of 0 or more) the other outstanding claims plus `reserved` fill it.
 * KEYS: room, claims, admissions, claimed, booked, active.
 * ARGV: seq, claim JSON, admission, now, max-active (-1 for none), reserved, claim min keep ms.
 * Returns `{ claim JSON, admission, booked }` of whichever claim holds the seq (the claim JSON
 * may be nil for a booked place whose claim was dropped), or `'full'`; errors `NOROOM`.
 */
export const RECORD_CLAIM: RedisScript = {
  numberOfKeys: 6,
  lua: `${PRUNE_CLAIMS}
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold'))
if not hold then return redis.error_reply('NOROOM no such room') end
local now = tonumber(ARGV[4])
local raw = redis.call('HGET', KEYS[2], ARGV[1])
local keep = tonumber(redis.call('ZSCORE', KEYS[5], ARGV[1]))
if keep and keep > now then
  return {raw, redis.call('HGET', KEYS[3], ARGV[1]), 1}
end
if raw then
  local existing = cjson.decode(raw)
  if existing.expiresAt > now or existing.consumed then
    return {raw, redis.call('HGET', KEYS[3], ARGV[1]), 0}
  end
end
local maxActive = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
if maxActive >= 0 then
  local others = redis.call('ZCARD', KEYS[6])
  if redis.call('ZSCORE', KEYS[6], ARGV[1]) then others = others - 1 end
  if others + tonumber(ARGV[6]) >= maxActive then return 'full' end
end
local claim = cjson.decode(ARGV[2])
redis.call('ZADD', KEYS[6], claim.expiresAt, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[4], claim.claimedAt, ARGV[1])
pruneClaims(KEYS[2], KEYS[3], KEYS[4], now, hold, tonumber(ARGV[7]))
return {ARGV[2], ARGV[3], 0}
`,
};

/**
 * Books a place once ever: the one-place-one-booking guarantee across all processes. Marks the
 * place's claim consumed in the same step, so it stops counting as active.
 * KEYS: room, booked, claims, active. ARGV: seq, keep-until (epoch ms), now. Returns 1 the
 * first time, else 0; errors `NOROOM`.
 */
export const BOOK_PLACE: RedisScript = {
  numberOfKeys: 4,
  lua: `${PRUNE_BOOKED}
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOROOM no such room') end
local now = tonumber(ARGV[3])
pruneBooked(KEYS[2], now)
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
local raw = redis.call('HGET', KEYS[3], ARGV[1])
if raw then
  local claim = cjson.decode(raw)
  claim.consumed = true
  redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(claim))
end
return 1
`,
};

/**
 * Uses a key once (a join proof). KEYS: key. ARGV: keep-for (ms). Returns 1 the first time.
 *
 * Expiries are relative (keep-for), computed from the server's clock, whatever Redis' says.
 */
export const CONSUME_KEY: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 1 end
return 0
`,
};

/**
 * Takes a lease that is free, or extends it for its holder.
 * KEYS: lease. ARGV: owner, ttl ms. Returns 1 when `owner` holds the lease now.
 */
export const ACQUIRE_LEASE: RedisScript = {
  numberOfKeys: 1,
  lua: `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`,
};

/** Gives a lease up if `owner` holds it. KEYS: lease. ARGV: owner. Returns 1 when released. */
export const RELEASE_LEASE: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`,
};

/** Every script, by the command name it is defined under. */
export const REDIS_SCRIPTS = {
  qgPutRoom: PUT_ROOM,
  qgSetStatus: SET_STATUS,
  qgReserveSeqs: RESERVE_SEQS,
  qgAdvanceServing: ADVANCE_SERVING,
  qgGetActivity: GET_ACTIVITY,
  qgGetAdvances: GET_ADVANCES,
  qgGetClaim: GET_CLAIM,
  qgRecordClaim: RECORD_CLAIM,
  qgBookPlace: BOOK_PLACE,
  qgConsumeKey: CONSUME_KEY,
  qgAcquireLease: ACQUIRE_LEASE,
  qgReleaseLease: RELEASE_LEASE,
} as const;

/** Name of a defined script command. */
export type RedisScriptName = keyof typeof REDIS_SCRIPTS;
