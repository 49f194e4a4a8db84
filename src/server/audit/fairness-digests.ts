/**
 * The digests the signed fairness facts carry in place of long lists, so the tokens stay small
 * whatever the crowd. Each is the lowercase hex SHA-256 of UTF-8 text: one line per item,
 * joined by `\n`, no trailing newline (an empty list hashes the empty string). WebCrypto only:
 * the demo's fairness panel runs the same code in a browser.
 */
import { toHex } from '../opening-draw.js';

const utf8 = new TextEncoder();

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await globalThis.crypto.subtle.digest('SHA-256', utf8.encode(text)));
}

/**
 * Digest of a draw's entrants: distinct `sub`s sorted by UTF-16 code units (JavaScript's
 * default sort; the same as byte order for the ASCII UUIDs the server hands out).
 */
export function entrantsDigest(entrants: readonly string[]): Promise<string> {
  return sha256Hex([...new Set(entrants)].sort().join('\n'));
}

/** Digest of a series: lines `at,serving,issued` (decimal), oldest first. */
export function seriesDigest(
  series: ReadonlyArray<{ at: number; serving: number; issued: number }>,
): Promise<string> {
  return sha256Hex(series.map((p) => `${p.at},${p.serving},${p.issued}`).join('\n'));
}

/** Digest of the per-minute counts: lines `minute,count` (decimal), oldest first. */
export function countsDigest(
  counts: ReadonlyArray<{ minute: number; count: number }>,
): Promise<string> {
  return sha256Hex(counts.map((c) => `${c.minute},${c.count}`).join('\n'));
}
