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
// WebCrypto (async) rather than `node:crypto`: the server also runs in browsers (`queue-gate/mocks`).
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const utf8 = new TextEncoder();

/** Lowercase hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  // Like Buffer.from(hex, 'hex'): stops at the first pair that is not hex.
  const bytes: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const byte = Number.parseInt(hex.slice(i, i + 2), 16);
    if (!/^[0-9a-fA-F]{2}$/.test(hex.slice(i, i + 2)) || Number.isNaN(byte)) break;
    bytes.push(byte);
  }
  return new Uint8Array(bytes);
}

/** Bytes of a draw seed (256 bits: no one can guess it before it is revealed). */
export const DRAW_SEED_BYTES = 32;

/** A fresh secret seed with its public commitment, both hex. */
export interface DrawSeed {
  seed: string;
  commitment: string;
}

/** @returns the hex SHA-256 of the seed's bytes: what is published before the draw. */
export async function drawCommitment(seedHex: string): Promise<string> {
  return toHex(await subtle().digest('SHA-256', fromHex(seedHex)));
}

/**
 * A new secret seed and its commitment.
 *
 * @param random - source of the seed bytes (default `crypto.getRandomValues`); inject in tests
 */
export async function createDrawSeed(
  random: (bytes: number) => Uint8Array = (bytes) =>
    globalThis.crypto.getRandomValues(new Uint8Array(bytes)),
): Promise<DrawSeed> {
  const seed = toHex(random(DRAW_SEED_BYTES));
  return { seed, commitment: await drawCommitment(seed) };
}

/**
 * The HMAC key of a draw: the seed's bytes, or, for a draw bound to a beacon round,
 * `SHA-256(seed bytes || beacon value bytes)`, so the order needs both and nobody can know it
 * before the beacon publishes its value.
 */
export async function drawKey(
  seedHex: string,
  beaconHex?: string | null,
): Promise<Uint8Array<ArrayBuffer>> {
  const seed = fromHex(seedHex);
  if (beaconHex === undefined || beaconHex === null) return seed;
  const beacon = fromHex(beaconHex);
  const joined = new Uint8Array(seed.length + beacon.length);
  joined.set(seed);
  joined.set(beacon, seed.length);
  return new Uint8Array(await subtle().digest('SHA-256', joined));
}

/**
 * The drawn order of pre-open visitors: `sub`s sorted by `HMAC-SHA256(key, sub)` (lowercase hex,
 * ascending), ties (never seen in practice) by `sub`, with the key of {@link drawKey}.
 * Duplicates count once.
 *
 * @param beaconHex - the value of the beacon round the draw is bound to; absent for none
 * @example
 * ```ts
 * const order = await drawOrder(seed, entrants); // order[0] gets seq base + 1
 * ```
 */
export async function drawOrder(
  seedHex: string,
  entrants: readonly string[],
  beaconHex?: string | null,
): Promise<string[]> {
  const key = await subtle().importKey(
    'raw',
    await drawKey(seedHex, beaconHex),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const ranked = await Promise.all(
    [...new Set(entrants)].map(async (sub) => ({
      sub,
      mark: toHex(await subtle().sign('HMAC', key, utf8.encode(sub))),
    })),
  );
  ranked.sort((a, b) =>
    a.mark < b.mark ? -1 : a.mark > b.mark ? 1 : a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0,
  );
  return ranked.map((entry) => entry.sub);
}

/**
 * Seqs of a finished draw, by `sub`: the i-th drawn visitor (from 0) gets `base + i + 1`.
 */
export async function drawnSeqs(
  seedHex: string,
  entrants: readonly string[],
  base: number,
  beaconHex?: string | null,
): Promise<Map<string, number>> {
  const order = await drawOrder(seedHex, entrants, beaconHex);
  return new Map(order.map((sub, index) => [sub, base + index + 1]));
}
