/**
 * Lua scripts of the opening draw in a {@link RedisStore} (see `redis-store.ts`).
 *
 * Why scripts: registering a pre-open ticket and running the draw must exclude each other
 * across processes. A registration checks, in the same step that stores it, that the draw has
 * not run; the draw freezes the entrants and moves `issued` past them in one step. So no ticket
 * is registered after the draw froze, and no seq handed out afterwards can land inside the draw.
 *
 * Keys: the room hash, the draw hash (`seed`, `commitment`, `committedAt`, `opensAt`,
 * `drawnAt` — empty before the draw — and `base`) and the entrants set; all tagged `{room}`.
 */
import type { RedisScript } from './redis-scripts.js';

/** The draw keys of a room, beside its other keys (same cluster slot). */
export function redisDrawKeys(roomKey: string): { draw: string; entrants: string } {
  return { draw: `${roomKey}:draw`, entrants: `${roomKey}:entrants` };
}

/**
 * Stores a draw unless the room has one. KEYS: draw. ARGV: seed, commitment, committedAt,
 * opensAt, beacon (JSON, '' for none). Returns the draw hash.
 */
export const COMMIT_DRAW: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'seed', ARGV[1], 'commitment', ARGV[2], 'committedAt', ARGV[3],
    'opensAt', ARGV[4], 'drawnAt', '', 'base', '0', 'beacon', ARGV[5] or '')
end
return redis.call('HGETALL', KEYS[1])
`,
};

/**
 * Adds a pre-open ticket's sub unless the draw ran. KEYS: room, draw, entrants. ARGV: sub.
 * Returns 1 when registered, 0 otherwise.
 */
export const REGISTER_PRE_OPEN: RedisScript = {
  numberOfKeys: 3,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('HGET', KEYS[2], 'drawnAt') ~= '' then return 0 end
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`,
};

/**
 * Runs the draw once. KEYS: room, draw, entrants. ARGV: now. Returns the draw hash, or nil
 * when the room or its draw does not exist.
 */
export const RUN_DRAW: RedisScript = {
  numberOfKeys: 3,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return false end
if redis.call('HGET', KEYS[2], 'drawnAt') == '' then
  local base = tonumber(redis.call('HGET', KEYS[1], 'issued'))
  local count = redis.call('SCARD', KEYS[3])
  redis.call('HSET', KEYS[2], 'drawnAt', ARGV[1], 'base', tostring(base))
  redis.call('HSET', KEYS[1], 'issued', tostring(base + count))
  redis.call('HINCRBY', KEYS[1], 'version', 1)
end
return redis.call('HGETALL', KEYS[2])
`,
};

/** The draw scripts by command name. */
export const REDIS_DRAW_SCRIPTS = {
  qgCommitDraw: COMMIT_DRAW,
  qgRegisterPreOpen: REGISTER_PRE_OPEN,
  qgRunDraw: RUN_DRAW,
} as const;
