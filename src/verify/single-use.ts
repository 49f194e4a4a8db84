/**
 * Single use of places: a place in line books once, ever, whichever of its admissions is used,
 * even when one is copied, replayed or submitted twice at the same instant.
 *
 * Why the place and not the admission's `jti`: a visitor whose admission ran out before use may
 * claim a new one (with a new `jti`) while their hold lasts. Keyed by `jti`, one ticket shared
 * with friends would book once per admission; keyed by the place, it books once.
 */
import type { AdmissionClaims } from '../protocol.js';
import { AdmissionError } from './errors.js';
import { verifiedToleranceOf } from './verified-tolerance.js';
import { DEFAULT_CLOCK_TOLERANCE_SEC } from './verify-signed-token.js';

/**
 * Remembers booked places (by {@link admissionPlaceKey}) until no admission of them can be valid.
 *
 * A shared store (Redis `SET key 1 NX PXAT <expiresAtMs>`, a unique database row) is needed as
 * soon as more than one booking process verifies admissions.
 */
export interface SingleUseStore {
  /**
   * Marks `key` used until `expiresAtMs` (epoch milliseconds).
   *
   * @returns `true` the first time only; must be atomic, so that of two concurrent calls for
   *   one `key` exactly one gets `true`
   */
  consume(key: string, expiresAtMs: number): Promise<boolean>;
}

/**
 * The key that identifies an admission's place: issuer, room and seq. Every admission of one
 * place has the same key, whatever its `jti`.
 *
 * @example
 * ```ts
 * admissionPlaceKey(claims); // 'https://queue.example.org|concert|42'
 * ```
 */
export function admissionPlaceKey(claims: Pick<AdmissionClaims, 'iss' | 'room' | 'seq'>): string {
  return `${claims.iss}|${claims.room}|${claims.seq}`;
}

/** Options of {@link createMemorySingleUseStore}. */
export interface MemorySingleUseStoreOptions {
  /** Clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Most keys kept at once (default 100,000); beyond that, consuming fails with a 503. */
  maxEntries?: number;
  /** How often expired keys are swept, in milliseconds (default 10,000). */
  sweepIntervalMs?: number;
}

/** An in-process {@link SingleUseStore}; `size` is the number of keys it holds. */
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
 * Books a verified admission's place, once: the first admission of a place to get here wins,
 * and every other admission of the same place (an earlier one, a later one, a copy) is refused.
 *
 * @param options.clockToleranceSec - the verifier's clock allowance: the place is remembered
 *   that much longer than `placeExp`, past which no admission of it is accepted. Claims returned
 *   by `verifyAdmission` carry the allowance they were verified with, and the larger of
 *   the two is used, so a wider `clockToleranceSec` given only to `verifyAdmission` still books
 *   each place once.
 * @throws {AdmissionError} `admission_used` (status 409) when the place was booked before
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
  // Remembering longer only costs memory; forgetting early would let a place book twice.
  const tolerance = Math.max(
    options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC,
    verifiedToleranceOf(claims) ?? DEFAULT_CLOCK_TOLERANCE_SEC,
  );
  const until = (Math.max(claims.placeExp, claims.exp) + tolerance) * 1000;
  const first = await store.consume(admissionPlaceKey(claims), until);
  if (!first) throw new AdmissionError('admission_used');
}
