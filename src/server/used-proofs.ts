/**
 * The proofs of work a process has accepted, remembered only while they could still be
 * replayed: a proof is accepted only within `windowMs` of its own timestamp, so it needs
 * remembering until then and not a moment longer.
 *
 * Why buckets by timestamp: proofs are filed under their timestamp, in buckets a quarter of
 * the window wide, and a bucket is dropped whole once its newest possible proof is out of the
 * window. Memory is then what the window holds (what the clients paid for in work), never a
 * fixed count that, once full, refuses honest visitors; and forgetting never waits behind one
 * proof stamped late in the window, as it did when proofs were forgotten in arrival order.
 */

/** A set of used proofs that forgets them as they leave the window. */
export interface UsedProofs {
  /** Whether `key`, stamped at `stampedAt` (epoch ms), was used. */
  has(key: string, stampedAt: number): boolean;
  /** Records `key`, stamped at `stampedAt`, as used. */
  add(key: string, stampedAt: number): void;
  /** Forgets every proof that is outside the window at `now` (and so refused anyway). */
  forget(now: number): void;
  /** How many proofs are remembered (for tests and monitoring). */
  readonly size: number;
}

/** Buckets per window: smaller buckets free memory sooner, at a few more map entries. */
const BUCKETS_PER_WINDOW = 4;

/**
 * Creates the memory for proofs accepted within `windowMs` of their timestamp.
 *
 * @example
 * ```ts
 * const used = createUsedProofs(120_000);
 * used.forget(Date.now());
 * if (!used.has(key, stampedAt)) used.add(key, stampedAt);
 * ```
 */
export function createUsedProofs(windowMs: number): UsedProofs {
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
    throw new RangeError('The proof window must be a positive number of milliseconds.');
  }
  const width = Math.max(1, Math.ceil(windowMs / BUCKETS_PER_WINDOW));
  const buckets = new Map<number, Set<string>>();
  const bucketOf = (stampedAt: number) => Math.floor(stampedAt / width);
  let size = 0;
  return {
    has(key, stampedAt) {
      return buckets.get(bucketOf(stampedAt))?.has(key) ?? false;
    },
    add(key, stampedAt) {
      const id = bucketOf(stampedAt);
      let bucket = buckets.get(id);
      if (!bucket) {
        bucket = new Set();
        buckets.set(id, bucket);
      }
      if (!bucket.has(key)) size += 1;
      bucket.add(key);
    },
    forget(now) {
      for (const [id, bucket] of buckets) {
        // The bucket's newest proof was stamped at (id + 1) * width - 1 and is refused from
        // (id + 1) * width + windowMs on; so is every other proof in it.
        if ((id + 1) * width + windowMs <= now) {
          buckets.delete(id);
          size -= bucket.size;
        }
      }
    },
    get size() {
      return size;
    },
  };
}
