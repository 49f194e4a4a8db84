/**
 * The Lua scripts of the {@link RedisStore} (see `redis-store.ts`).
 *
 * Why Lua: Redis runs a script as one step, so every read-modify-write of a room (handing out
 * seqs, moving `serving`, recording a claim, using an admission) is atomic across any number of
 * server processes without locks or retries. Each script touches only keys of one cluster slot:
 * one room's keys (tagged `{room}`), or a single key.
 *
 * Numbers travel as decimal strings; epoch milliseconds stay exact in Lua's doubles.
 */

/** A script as ioredis' `defineCommand` takes it. */
export interface RedisScript {
  numberOfKeys: number;
  lua: string;
}

/** Drops moves of `serving` no rule needs: keeps the newest one older than the window. */
const PRUNE_ADVANCES = `
local function pruneAdvances(key, now, hold)
  local cutoff = now - (math.max(hold * 1000, 60000) + 60000)
  while true do
    local second = redis.call('LINDEX', key, 1)
    if not second then break end
    local at = tonumber(string.match(second, '^([^:]+):'))
    if at > cutoff then break end
    redis.call('LPOP', key)
  end
end
`;

/** Drops claims older than the hold window (at least a minute) once their admission expired. */
const PRUNE_CLAIMS = `
local function pruneClaims(claims, admissions, claimed, now, hold)
  local cutoff = now - math.max(hold * 1000, 60000)
  local old = redis.call('ZRANGEBYSCORE', claimed, '-inf', cutoff)
  for _, seq in ipairs(old) do
    local raw = redis.call('HGET', claims, seq)
    local drop = true
    if raw then
      local claim = cjson.decode(raw)
      drop = claim.expiresAt <= now
    end
    if drop then
      redis.call('HDEL', claims, seq)
      redis.call('HDEL', admissions, seq)
      redis.call('ZREM', claimed, seq)
    end
  end
end
`;

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
  redis.call('RPUSH', KEYS[2], ARGV[4] .. ':0')
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
 * Raises `serving` (never lowers it) and records the move.
 * KEYS: room, advances. ARGV: to, now. Returns the room hash, or nil for no room.
 */
export const ADVANCE_SERVING: RedisScript = {
  numberOfKeys: 2,
  lua: `${PRUNE_ADVANCES}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local to = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if to > tonumber(redis.call('HGET', KEYS[1], 'serving')) then
  redis.call('HSET', KEYS[1], 'serving', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  redis.call('RPUSH', KEYS[2], ARGV[2] .. ':' .. ARGV[1])
  pruneAdvances(KEYS[2], now, tonumber(redis.call('HGET', KEYS[1], 'hold')))
end
return redis.call('HGETALL', KEYS[1])
`,
};

/**
 * Prunes, then reads a room's recent history.
 * KEYS: room, advances, claims, admissions, claimed. ARGV: now.
 * Returns `{ advances, claims }` (claims as JSON, without their admissions).
 */
export const GET_ACTIVITY: RedisScript = {
  numberOfKeys: 5,
  lua: `${PRUNE_ADVANCES}${PRUNE_CLAIMS}
if redis.call('EXISTS', KEYS[1]) == 0 then return {{}, {}} end
local now = tonumber(ARGV[1])
local hold = tonumber(redis.call('HGET', KEYS[1], 'hold'))
pruneAdvances(KEYS[2], now, hold)
pruneClaims(KEYS[3], KEYS[4], KEYS[5], now, hold)
return {redis.call('LRANGE', KEYS[2], 0, -1), redis.call('HVALS', KEYS[3])}
`,
};

/** Reads one claim. KEYS: claims, admissions. ARGV: seq. Returns `{ claim JSON, admission }`. */
export const GET_CLAIM: RedisScript = {
  numberOfKeys: 2,
  lua: `
return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HGET', KEYS[2], ARGV[1])}
`,
};

/**
 * Records a claim unless an unexpired or consumed claim holds the seq.
 * KEYS: room, claims, admissions, claimed. ARGV: seq, claim JSON, admission, now.
 * Returns `{ claim JSON, admission }` of whichever claim holds the seq; errors `NOROOM`.
 */
export const RECORD_CLAIM: RedisScript = {
  numberOfKeys: 4,
  lua: `${PRUNE_CLAIMS}
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOROOM no such room') end
local now = tonumber(ARGV[4])
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if raw then
  local existing = cjson.decode(raw)
  if existing.expiresAt > now or existing.consumed then
    return {raw, redis.call('HGET', KEYS[3], ARGV[1])}
  end
end
local claim = cjson.decode(ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[4], claim.claimedAt, ARGV[1])
pruneClaims(KEYS[2], KEYS[3], KEYS[4], now, tonumber(redis.call('HGET', KEYS[1], 'hold')))
return {ARGV[2], ARGV[3]}
`,
};

/**
 * Notes which room and seq an admission's jti belongs to, before the admission can leave.
 * KEYS: jti. ARGV: room, seq, keep-for (ms).
 *
 * Expiries are relative (keep-for), computed from the server's clock: the jti must outlive the
 * admission by the server's own reckoning, whatever Redis' clock says.
 */
export const NOTE_JTI: RedisScript = {
  numberOfKeys: 1,
  lua: `
redis.call('HSET', KEYS[1], 'room', ARGV[1], 'seq', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`,
};

/**
 * Uses an admission once: the single-use guarantee across all processes.
 * KEYS: jti. ARGV: keep-for (ms; only ever lengthens the expiry).
 * Returns nil when used before, else `{ room, seq }` of its claim (nils when unknown).
 */
export const CONSUME_JTI: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('HGET', KEYS[1], 'used') then return false end
redis.call('HSET', KEYS[1], 'used', '1')
local keep = tonumber(ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < keep then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {redis.call('HGET', KEYS[1], 'room'), redis.call('HGET', KEYS[1], 'seq')}
`,
};

/**
 * Marks the claim of `seq` consumed if it still carries `jti`.
 * KEYS: claims. ARGV: seq, jti. Returns 1 when marked.
 */
export const MARK_CONSUMED: RedisScript = {
  numberOfKeys: 1,
  lua: `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local claim = cjson.decode(raw)
if claim.jti ~= ARGV[2] then return 0 end
claim.consumed = true
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(claim))
return 1
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
  qgGetClaim: GET_CLAIM,
  qgRecordClaim: RECORD_CLAIM,
  qgNoteJti: NOTE_JTI,
  qgConsumeJti: CONSUME_JTI,
  qgMarkConsumed: MARK_CONSUMED,
  qgAcquireLease: ACQUIRE_LEASE,
  qgReleaseLease: RELEASE_LEASE,
} as const;

/** Name of a defined script command. */
export type RedisScriptName = keyof typeof REDIS_SCRIPTS;
