/**
 * A seeded uniform [0, 1) source (mulberry32), so a simulated crowd draws the same jitter on
 * every run and its figures can be asserted, not just printed.
 */

/**
 * Creates a deterministic random source.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * random(); // the same first value on every run
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
