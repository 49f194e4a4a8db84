/**
 * "Add a crowd": many simulated visitors joining a real room at once, so QA can watch a real
 * line grow and move. Concurrency is bounded because a page opening thousands of sockets at
 * once tests the browser's connection pool, not the queue.
 */

/** Progress of a crowd being added. */
export interface CrowdProgress {
  total: number;
  /** Joins answered with a place. */
  joined: number;
  /** Joins that failed (refused, network, overload). */
  failed: number;
}

/** Options of {@link addCrowd}. */
export interface AddCrowdOptions {
  /** How many visitors to add. */
  count: number;
  /** Most joins in flight at once (at least 1). */
  concurrency: number;
  /** One visitor's join; resolves true when a place was given. A rejection counts as failed. */
  join: () => Promise<boolean>;
  /** Called after every settled join. */
  onProgress?: (progress: CrowdProgress) => void;
  /** Stops starting new joins (those in flight still settle and count). */
  signal?: AbortSignal;
}

/**
 * Runs `count` joins with at most `concurrency` in flight.
 *
 * @returns the final counts
 * @example
 * ```ts
 * const join = async () =>
 *   (await fetch('/rooms/demo/join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).ok;
 * await addCrowd({ count: 200, concurrency: 8, join, onProgress: (p) => console.log(p.joined) });
 * ```
 */
export async function addCrowd(options: AddCrowdOptions): Promise<CrowdProgress> {
  const total = Math.max(0, Math.floor(options.count));
  const progress: CrowdProgress = { total, joined: 0, failed: 0 };
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total && !options.signal?.aborted) {
      started += 1;
      let ok = false;
      try {
        ok = await options.join();
      } catch {
        // A failed visitor is counted, not fatal: the rest of the crowd still joins.
        ok = false;
      }
      if (ok) progress.joined += 1;
      else progress.failed += 1;
      options.onProgress?.({ ...progress });
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(options.concurrency), total));
  await Promise.all(Array.from({ length: lanes }, () => worker()));
  return { ...progress };
}
