/**
 * Lua functions that drop history no rule needs any more, prepended to the scripts of
 * `redis-scripts.ts` that prune as they go. Each mirrors the embedded store's rule (named in its
 * comment), with the windows passed as ARGV from `store-policy.ts`.
 */

/**
 * Drops moves of `serving` no rule needs, as `prunableAdvances` in `room-timeline.ts` does: the
 * first move goes once the move after it is older than its own hold (at least `minHold` ms)
 * plus `grace` ms. Moves recorded without a hold (older data) count with the room's. The
 * windows come as ARGV from `store-policy.ts` (see `retentionArgs`), never written here.
 */
export const PRUNE_ADVANCES = `
local function pruneAdvances(key, now, hold, minHold, grace)
  while true do
    local second = redis.call('LINDEX', key, 1)
    if not second then break end
    local at, _, own = string.match(second, '^([^:]+):([^:]+):?([^:]*)$')
    local seconds = tonumber(own) or hold
    if tonumber(at) + math.max(seconds * 1000, minHold) + grace > now then break end
    redis.call('LPOP', key)
  end
end
`;

/** Forgets booked places past their keep-until time. */
export const PRUNE_BOOKED = `
local function pruneBooked(key, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
end
`;

/**
 * Drops claims older than the hold window (at least `minKeep` ms) once their admission expired,
 * as `claimPrunable` in `claim-rules.ts` does.
 */
export const PRUNE_CLAIMS = `
local function pruneClaims(claims, admissions, claimed, now, hold, minKeep)
  local cutoff = now - math.max(hold * 1000, minKeep)
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
