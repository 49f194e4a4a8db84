/**
 * An optional ability of a store: counting the slots a claim must leave free under `maxActive`
 * (what `reservedForOthers` in `admission-control.ts` computes) where the claims are kept.
 *
 * Why: from a room's whole activity the count costs a copy of every claim of the hold window
 * per claim, which for a shared store is a large answer over the network on the hottest write.
 * The Redis store counts in one short script instead (see `redis-capacity-scripts.ts`); the
 * embedded store, whose activity is already in memory, has no need to.
 */

/** A store that counts the slots a claim must leave free itself. */
export interface ReservedClaimsCounter {
  /**
   * The turns that came within the last `claimGraceMs` and were not claimed yet, other than
   * `seq` itself: the `reserved` of a claim's capacity, as `reservedForOthers` counts it.
   */
  reservedForClaim(room: string, seq: number, now: number, claimGraceMs: number): Promise<number>;
}

/** Whether `store` counts reserved slots itself. */
export function countsReservedClaims<S extends object>(
  store: S,
): store is S & ReservedClaimsCounter {
  return typeof (store as Partial<ReservedClaimsCounter>).reservedForClaim === 'function';
}
