/**
 * Single use of admissions: an admission lets one booking through, once, even when it is
 * copied, replayed or submitted twice at the same instant.
 */
import type { AdmissionClaims } from '../protocol.js';
import { AdmissionError } from './errors.js';
import { DEFAULT_CLOCK_TOLERANCE_SEC } from './verify-signed-token.js';

/**
 * Remembers used admission ids until they expire.
 *
 * A shared store (Redis `SET key 1 NX PXAT <expiresAtMs>`, a unique database row) is needed as
 * soon as more than one booking process verifies admissions.
 */
export interface SingleUseStore {
  /**
   * Marks `jti` used until `expiresAtMs` (epoch milliseconds).
   *
   * @returns `true` the first time only; must be atomic, so that of two concurrent calls for
   *   one `jti` exactly one gets `true`
   */
  consume(jti: string, expiresAtMs: number): Promise<boolean>;
}

/** Options of {@link createMemorySingleUseStore}. */
export interface MemorySingleUseStoreOptions {
  /** Clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Most ids kept at once (default 100,000); beyond that, consuming fails with a 503. */
  maxEntries?: number;
  /** How often expired ids are swept, in milliseconds (default 10,000). */
  sweepIntervalMs?: number;
}

/** An in-process {@link SingleUseStore}; `size` is the number of ids it holds. */
export interface MemorySingleUseStore extends SingleUseStore {
  readonly size: number;
}

/**
 * Creates an in-memory single-use store for one booking process. Memory stays bounded:
 * expired ids are swept, and the number of ids is capped.
 *
 * @example
 * ```ts
 * const store = createMemorySingleUseStore();
 * await consumeAdmission(claims, store); // throws AdmissionError('admission_used') the second time
 * ```
 */
export function createMemorySingleUseStore(
  options: MemorySingleUseStoreOptions = {},
): MemorySingleUseStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
  const used = new Map<string, number>();
  let nextSweepAt = 0;

  const sweep = (time: number): void => {
    for (const [jti, expiresAt] of used) if (expiresAt <= time) used.delete(jti);
    nextSweepAt = time + sweepIntervalMs;
  };

  return {
    get size() {
      return used.size;
    },
    // The check and the write happen in one synchronous step, so concurrent calls within this
    // process cannot both see the id as unused.
    async consume(jti, expiresAtMs) {
      // A NaN expiry would read as "already expired" and let every replay through.
      if (!Number.isFinite(expiresAtMs))
        throw new TypeError('expiresAtMs must be a finite number.');
      const time = now();
      if (time >= nextSweepAt || used.size >= maxEntries) sweep(time);
      const known = used.get(jti);
      if (known !== undefined && known > time) return false;
      if (used.size >= maxEntries) {
        // Refusing is safer than evicting: an evicted id could be replayed.
        throw new AdmissionError('internal', 'Too many admissions in flight; try again shortly.');
      }
      used.set(jti, expiresAtMs);
      return true;
    },
  };
}

/**
 * Marks a verified admission used, once.
 *
 * @param options.clockToleranceSec - the verifier's clock allowance: the id is kept that much
 *   longer than the admission's `exp`, as long as the verifier would still accept it
 * @throws {AdmissionError} `admission_used` (status 409) when the admission was used before
 *
 * @example
 * ```ts
 * const claims = await verifyAdmission(token, options);
 * await consumeAdmission(claims, store);
 * ```
 */
export async function consumeAdmission(
  claims: AdmissionClaims,
  store: SingleUseStore,
  options: { clockToleranceSec?: number } = {},
): Promise<void> {
  const tolerance = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  const first = await store.consume(claims.jti, (claims.exp + tolerance) * 1000);
  if (!first) throw new AdmissionError('admission_used');
}
