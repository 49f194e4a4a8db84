/**
 * The Lua script that counts the slots a claim must leave free under `maxActive` inside Redis
 * (see `claim-capacity.ts`), as `reservedForOthers` in `admission-control.ts` counts them from a
 * room's whole activity, without sending that activity to the server.
 *
 * Why it reads the claims of a recent window only: the slots are the turns that came within
 * the grace (seqs above `bottom`, the line as it stood a grace ago) and were not claimed yet. A
 * seq can only be claimed after its turn, so every claim of such a seq was made within the
 * grace: the `claimed` index (seqs by claim time) read from a little before the grace finds
 * them all. The margin covers the clocks of different server processes; a claim made by a
 * clock behind by more than it would count as unclaimed, so the claim asking waits a moment
 * (`booking_full`), never more admissions than `maxActive`. The cost grows with the claims of
 * the last seconds, not with those of the whole hold window.
 */
import type { RedisScript } from './redis-scripts.js';

/** How far before the grace the claims are read, covering clock differences between processes. */
export const CLAIM_CLOCK_MARGIN_MS = 10_000;

/**
 * Counts the turns within the grace not claimed yet, leaving out `seq`.
 * KEYS: room, advances, claimed. ARGV: seq, now, claim grace ms, clock margin ms.
 * Returns the count (0 for no room).
 */
export const RESERVED_FOR_CLAIM: RedisScript = {
  numberOfKeys: 3,
  lua: `
local line = redis.call('HMGET', KEYS[1], 'serving', 'issued')
if not line[1] then return 0 end
local top = math.min(tonumber(line[1]), tonumber(line[2]))
local seq = tonumber(ARGV[1])
local since = tonumber(ARGV[2]) - tonumber(ARGV[3])
local bottom = 0
for _, move in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local at, serving = string.match(move, '^([^:]+):([^:]+)')
  if tonumber(at) > since then break end
  bottom = tonumber(serving)
end
bottom = math.min(bottom, top)
if top <= bottom then return 0 end
local claimed, own = 0, false
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], since - tonumber(ARGV[4]), '+inf')) do
  local claimedSeq = tonumber(member)
  if claimedSeq > bottom and claimedSeq <= top then claimed = claimed + 1 end
  if claimedSeq == seq then own = true end
end
local pending = math.max(0, top - bottom - claimed)
if seq > bottom and seq <= top and not own then pending = pending - 1 end
return pending
`,
};

/** The scripts by command name. */
export const REDIS_CAPACITY_SCRIPTS = {
  qgReservedForClaim: RESERVED_FOR_CLAIM,
} as const;
