/**
 * Per-process blocks of seqs, so that a join does not cost a Redis round trip.
 *
 * Why blocks, and why small and short-lived: a process that reserves seqs `n+1..n+k` in one
 * `HINCRBY` can hand them out from memory, but two processes then number their visitors in
 * interleaved blocks, so a visitor may be placed ahead of one who joined a little earlier at
 * another process. That unfairness is bounded by how long a block may be used: a block is
 * sized to last about `targetMs` at this process's recent join rate (at least 1, at most
 * `maxSize`), and is abandoned once `maxAgeMs` old, so nobody joins with a seq reserved
 * longer ago than that. Seqs of an abandoned block are never handed out: admission control
 * sees them as visitors who walked away (they cost a short grace, then no slot).
 */

/** Default time a block should last at the current join rate, in ms. */
export const DEFAULT_SEQ_BLOCK_TARGET_MS = 100;
/** Default age at which a block is abandoned, in ms: nobody is placed ahead of a visitor who
 * arrived longer ago than this. */
export const DEFAULT_SEQ_BLOCK_MAX_AGE_MS = 300;
/** Default largest block. */
export const DEFAULT_SEQ_BLOCK_MAX_SIZE = 64;

/** Reserves `count` seqs of `room`; resolves with the last one, or null when there is no room. */
export type ReserveSeqs = (room: string, count: number) => Promise<number | null>;

/** Options of {@link createSeqBlocks}. */
export interface SeqBlockOptions {
  reserve: ReserveSeqs;
  /** How long a block should last at the current join rate, in ms (default 100). */
  targetMs?: number;
  /** A block older than this is abandoned, in ms (default 300): the fairness bound. */
  maxAgeMs?: number;
  /** Time constant of the join-rate average, in ms (default 1000). */
  rateWindowMs?: number;
  /** Largest block (default 64). */
  maxSize?: number;
}

/** Hands out seqs from reserved blocks; see {@link createSeqBlocks}. */
export interface SeqBlocks {
  /** The next seq of `room` at time `now`, or null when the room does not exist. */
  next(room: string, now: number): Promise<number | null>;
  /** How many seqs the next reservation of `room` would ask for (for tests and metrics). */
  plannedSize(room: string): number;
}

interface RoomBlock {
  next: number;
  end: number;
  reservedAt: number;
  /** Joins asked for since the last reservation, for the rate. */
  joins: number;
  /** Joins per ms, averaged over about `rateWindowMs`. */
  rate: number;
  /** Joins waiting for the reservation in flight. */
  waiting: number;
  size: number;
  inflight: Promise<boolean> | null;
}

/**
 * Creates the block allocator.
 *
 * @example
 * ```ts
 * const blocks = createSeqBlocks({ reserve: (room, n) => redis.qgReserveSeqs(key(room), n) });
 * const seq = await blocks.next('launch', Date.now());
 * ```
 */
export function createSeqBlocks(options: SeqBlockOptions): SeqBlocks {
  const targetMs = options.targetMs ?? DEFAULT_SEQ_BLOCK_TARGET_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_SEQ_BLOCK_MAX_AGE_MS;
  const rateWindowMs = options.rateWindowMs ?? 1000;
  const maxSize = Math.max(1, Math.floor(options.maxSize ?? DEFAULT_SEQ_BLOCK_MAX_SIZE));
  const rooms = new Map<string, RoomBlock>();

  const blockOf = (room: string): RoomBlock => {
    let block = rooms.get(room);
    if (!block) {
      block = {
        next: 1,
        end: 0,
        reservedAt: -Infinity,
        joins: 0,
        rate: 0,
        waiting: 0,
        size: 1,
        inflight: null,
      };
      rooms.set(room, block);
    }
    return block;
  };

  const refill = async (room: string, block: RoomBlock, now: number): Promise<boolean> => {
    // An average weighted by elapsed time: a burst of a few joins does not reserve a big block
    // (whose rest would be abandoned), a long pause brings the size back to 1, and a steady
    // stream converges within about a second. Rounding down keeps slow rooms at 1 per join.
    const elapsed = Math.max(1, now - block.reservedAt);
    const weight = 1 - Math.exp(-elapsed / rateWindowMs);
    block.rate += weight * (block.joins / elapsed - block.rate);
    const byRate = Math.floor(block.rate * targetMs);
    const size = Math.min(maxSize, Math.max(1, byRate, block.waiting));
    block.joins = 0;
    const last = await options.reserve(room, size);
    if (last === null) return false;
    block.next = last - size + 1;
    block.end = last;
    block.reservedAt = now;
    block.size = size;
    return true;
  };

  return {
    async next(room, now) {
      const block = blockOf(room);
      block.joins += 1;
      for (;;) {
        if (block.next <= block.end && now - block.reservedAt < maxAgeMs) {
          const seq = block.next;
          block.next += 1;
          return seq;
        }
        if (block.inflight === null) {
          block.inflight = refill(room, block, now).finally(() => {
            block.inflight = null;
          });
        }
        block.waiting += 1;
        let found: boolean;
        try {
          found = await block.inflight;
        } finally {
          block.waiting -= 1;
        }
        if (!found) return null;
        // A block fresher than this join's clock reading counts as fresh for it.
        now = Math.max(now, block.reservedAt);
      }
    },
    plannedSize(room) {
      return rooms.get(room)?.size ?? 1;
    },
  };
}
