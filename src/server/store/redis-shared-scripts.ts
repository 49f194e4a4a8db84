/**
 * Lua scripts of the shared records of a {@link RedisStore} (see `shared-records.ts`): the join
 * count of one client (one key) and the fairness series of one room (keys tagged `{room}`).
 * Each is one atomic step, so processes sharing Redis count one limit and take one sample per
 * interval between them.
 */
import type { RedisScript } from './redis-scripts.js';

/**
 * Counts a new place in the window starting at ARGV[1] unless ARGV[3] were counted in it. A
 * window already counted from a clock ahead of this one is still the current one. KEYS: joins.
 * ARGV: window start, window ms, limit. Returns `{1|0, window start}`.
 */
export const COUNT_NEW_PLACE: RedisScript = {
  numberOfKeys: 1,
  lua: `
local start = ARGV[1]
local count = 0
local stored = redis.call('HGET', KEYS[1], 'start')
if stored and tonumber(stored) >= tonumber(start) then
  start = stored
  count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
end
if count >= tonumber(ARGV[3]) then return {0, start} end
redis.call('HSET', KEYS[1], 'start', start, 'count', count + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2] * 2)
return {1, start}
`,
};

/**
 * Appends a sample unless the last is less than the gap older, keeping the last samples and
 * snapshots; merges minute counts (the highest wins) and drops minutes before the oldest.
 * KEYS: points, snapshots, minutes. ARGV: has sample (1/0), at, serving, issued, snapshot,
 * gap ms, max samples, max snapshots, oldest minute, then minute/count pairs.
 * Returns `{1|0, last at or ''}`.
 */
export const RECORD_FAIRNESS: RedisScript = {
  numberOfKeys: 3,
  lua: `
for i = 10, #ARGV - 1, 2 do
  local old = tonumber(redis.call('HGET', KEYS[3], ARGV[i]) or '0')
  if tonumber(ARGV[i + 1]) > old then redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
end
local oldest = tonumber(ARGV[9])
for _, minute in ipairs(redis.call('HKEYS', KEYS[3])) do
  if tonumber(minute) < oldest then redis.call('HDEL', KEYS[3], minute) end
end
local last = redis.call('LINDEX', KEYS[1], -1)
local lastAt = last and string.match(last, '^([^:]+)') or ''
if ARGV[1] ~= '1' or (lastAt ~= '' and tonumber(ARGV[2]) - tonumber(lastAt) < tonumber(ARGV[6])) then
  return {0, lastAt}
end
redis.call('RPUSH', KEYS[1], ARGV[2] .. ':' .. ARGV[3] .. ':' .. ARGV[4])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[7]), -1)
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[8]), -1)
return {1, ARGV[2]}
`,
};

/** The series as one read. KEYS: points, snapshots, minutes. */
export const READ_FAIRNESS: RedisScript = {
  numberOfKeys: 3,
  lua: `
return {redis.call('LRANGE', KEYS[1], 0, -1), redis.call('LRANGE', KEYS[2], 0, -1),
  redis.call('HGETALL', KEYS[3])}
`,
};

/** The scripts by command name. */
export const REDIS_SHARED_SCRIPTS = {
  qgCountNewPlace: COUNT_NEW_PLACE,
  qgRecordFairness: RECORD_FAIRNESS,
  qgReadFairness: READ_FAIRNESS,
} as const;
