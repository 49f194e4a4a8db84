/**
 * The pre-open draw: a committed random order for everybody who arrived before a room opened.
 *
 * Why a commitment: the server picks the seed before anyone arrives and publishes only its
 * SHA-256; at opening it reveals the seed. Anyone can then check that the seed matches what was
 * published and recompute the order (see `scripts/verify-draw.mjs`), so the operator cannot
 * choose a seed after seeing who registered. Why HMAC of each `sub`: every visitor's rank
 * depends only on the seed and their own random id, not on when they arrived, so arriving at
 * 19:59:59 is worth exactly as much as arriving at 19:50.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Bytes of a draw seed (256 bits: no one can guess it before it is revealed). */
export const DRAW_SEED_BYTES = 32;

/** A fresh secret seed with its public commitment, both hex. */
export interface DrawSeed {
  seed: string;
  commitment: string;
}

/** @returns the hex SHA-256 of the seed's bytes: what is published before the draw. */
export function drawCommitment(seedHex: string): string {
  return createHash('sha256').update(Buffer.from(seedHex, 'hex')).digest('hex');
}

/**
 * A new secret seed and its commitment.
 *
 * @param random - source of the seed bytes (default `crypto.randomBytes`); inject in tests
 */
export function createDrawSeed(
  random: (bytes: number) => Uint8Array = (bytes) => randomBytes(bytes),
): DrawSeed {
  const seed = Buffer.from(random(DRAW_SEED_BYTES)).toString('hex');
  return { seed, commitment: drawCommitment(seed) };
}

/**
 * The drawn order of pre-open visitors: `sub`s sorted by `HMAC-SHA256(seed bytes, sub)` (hex,
 * ascending), ties (never seen in practice) by `sub`. Duplicates count once.
 *
 * @example
 * ```ts
 * const order = drawOrder(seed, entrants); // order[0] gets seq base + 1
 * ```
 */
export function drawOrder(seedHex: string, entrants: readonly string[]): string[] {
  const key = Buffer.from(seedHex, 'hex');
  const ranked = [...new Set(entrants)].map((sub) => ({
    sub,
    mark: createHmac('sha256', key).update(sub, 'utf8').digest('hex'),
  }));
  ranked.sort((a, b) =>
    a.mark < b.mark ? -1 : a.mark > b.mark ? 1 : a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0,
  );
  return ranked.map((entry) => entry.sub);
}

/**
 * Seqs of a finished draw, by `sub`: the i-th drawn visitor (from 0) gets `base + i + 1`.
 */
export function drawnSeqs(
  seedHex: string,
  entrants: readonly string[],
  base: number,
): Map<string, number> {
  return new Map(drawOrder(seedHex, entrants).map((sub, index) => [sub, base + index + 1]));
}
