/**
 * A lease: a named right, held by one process at a time, that lapses unless renewed.
 *
 * Why a lease and not a lock: admission control must move `serving` from exactly one process,
 * and a process that dies (`kill -9`, a lost machine) cannot release anything. A lease with an
 * expiry passes on by itself: the holder renews it on every tick, and when renewals stop,
 * another process takes it within one time-to-live. Taking, renewing and releasing are each one
 * atomic compare-and-set script, so a process can never renew or release a lease it lost.
 */

/** A lease as the ticker uses it; see {@link createRedisLease}. */
export interface Lease {
  /** Who this process is, as written into the lease (host, pid and a random part). */
  readonly owner: string;
  /** Takes the lease if it is free, renews it if held; resolves with whether it is held now. */
  acquire(): Promise<boolean>;
  /** Gives the lease up if held, so another process takes over at once. */
  release(): Promise<void>;
}

/** Runs a lease script: `qgAcquireLease` or `qgReleaseLease` (see `redis-scripts.ts`). */
export type LeaseScriptCall = (
  script: 'qgAcquireLease' | 'qgReleaseLease',
  keys: string[],
  args: Array<string | number>,
) => Promise<unknown>;

/** Options of {@link createRedisLease}. */
export interface RedisLeaseOptions {
  call: LeaseScriptCall;
  /** The Redis key of the lease. */
  key: string;
  /** How long the lease lasts without renewal, in ms (default 4000). */
  ttlMs?: number;
  /** Identity written into the lease (default `host:pid:random`). */
  owner?: string;
}

/** Default time-to-live of a lease: a few ticks, so one slow tick does not lose it. */
export const DEFAULT_LEASE_TTL_MS = 4000;

/**
 * Default identity of this process in a lease: the process id where there is one (it helps an
 * operator reading the key) and a random part that makes it unique. No `node:os`, so the
 * embedded store, which takes a lease too, also loads in a browser (the mocks run it there).
 */
function defaultOwner(): string {
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid;
  return `${pid ?? 'process'}:${globalThis.crypto.randomUUID()}`;
}

/**
 * A lease of a store only one process uses (the embedded store): always held, nothing to pass on.
 */
export function createLocalLease(_name: string, owner: string = defaultOwner()): Lease {
  return {
    owner,
    acquire: () => Promise.resolve(true),
    release: () => Promise.resolve(),
  };
}

/**
 * A lease kept in Redis (`SET NX PX` semantics, renewed and released only by its owner).
 *
 * @example
 * ```ts
 * const lease = store.lease('ticker'); // RedisStore#lease builds one with this function
 * if (await lease.acquire()) await service.tick();
 * ```
 */
export function createRedisLease(options: RedisLeaseOptions): Lease {
  const ttlMs = Math.max(100, Math.floor(options.ttlMs ?? DEFAULT_LEASE_TTL_MS));
  const owner = options.owner ?? defaultOwner();
  return {
    owner,
    async acquire() {
      return Number(await options.call('qgAcquireLease', [options.key], [owner, ttlMs])) === 1;
    },
    async release() {
      await options.call('qgReleaseLease', [options.key], [owner]);
    },
  };
}
