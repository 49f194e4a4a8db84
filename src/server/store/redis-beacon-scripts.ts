/**
 * The Lua script that sets a draw's beacon value in a {@link RedisStore} (see `redis-store.ts`).
 *
 * Why a script: the value is set once, only after the draw froze its entrants, whichever process
 * the admin (or a fetch) reaches first; a second, different value must never replace it. The
 * value lives in the draw hash beside the committed round (`beacon`, JSON, set by `qgCommitDraw`)
 * as the field `beaconValue`, so one `HGETALL` reads the whole draw.
 */
import type { RedisScript } from './redis-scripts.js';

/**
 * Sets `beaconValue` unless it is set, the draw has no beacon or has not run. KEYS: draw.
 * ARGV: value. Returns the draw hash, or nil when the room has no draw.
 */
export const SET_DRAW_BEACON: RedisScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local beacon = redis.call('HGET', KEYS[1], 'beacon')
local drawn = redis.call('HGET', KEYS[1], 'drawnAt')
local value = redis.call('HGET', KEYS[1], 'beaconValue')
if beacon and beacon ~= '' and drawn and drawn ~= '' and (not value or value == '') then
  redis.call('HSET', KEYS[1], 'beaconValue', ARGV[1])
end
return redis.call('HGETALL', KEYS[1])
`,
};

/** The beacon script by command name. */
export const REDIS_BEACON_SCRIPTS = { qgSetDrawBeacon: SET_DRAW_BEACON } as const;
