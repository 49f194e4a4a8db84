/**
 * The proof-of-work search itself, in its own chunk: only a visitor of a room under a join
 * challenge (a flood defence, rare) downloads it. `join-proof.ts` loads it on demand.
 */
import type { PowChallenge } from './join-proof.js';

/** Options of {@link solveJoinProof}. */
export interface SolveJoinProofOptions {
  /** Hashes per batch before the page gets a turn (default 512). */
  batchSize?: number;
  /** Gives the page a turn between batches (default: a zero-delay `setTimeout`). */
  pause?: () => Promise<void>;
  /** Most hashes tried before giving up (default 32 × 2^bits: a miss is then a e^-32 chance). */
  maxAttempts?: number;
  /** Stops the search (the engine stopped or the request was replaced). */
  signal?: AbortSignal;
}

/** @returns how many zero bits `bytes` starts with. */
function leadingZeroBits(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) {
    if (byte !== 0) return count + Math.clz32(byte) - 24;
    count += 8;
  }
  return count;
}

const defaultPause = () => new Promise<void>((resume) => setTimeout(resume, 0));

/**
 * Searches a proof for `room` at `timestamp` (epoch ms) with WebCrypto; see `solveJoinProof`.
 *
 * @returns the `Queue-Gate-Proof` header value, or null when aborted or out of attempts
 */
export async function searchJoinProof(
  room: string,
  challenge: PowChallenge,
  timestamp: number,
  options: SolveJoinProofOptions = {},
): Promise<string | null> {
  const batchSize = options.batchSize ?? 512;
  const pause = options.pause ?? defaultPause;
  const maxAttempts = options.maxAttempts ?? 32 * 2 ** challenge.bits;
  const encoder = new TextEncoder();
  const stamp = Math.floor(timestamp);
  for (let counter = 0; counter < maxAttempts;) {
    if (options.signal?.aborted) return null;
    const end = Math.min(counter + batchSize, maxAttempts);
    for (; counter < end; counter += 1) {
      const nonce = counter.toString(36);
      const digest = await globalThis.crypto.subtle.digest(
        'SHA-256',
        encoder.encode(`${room}|${nonce}|${stamp}`),
      );
      if (leadingZeroBits(new Uint8Array(digest)) >= challenge.bits) return `${stamp}.${nonce}`;
    }
    if (counter < maxAttempts) await pause();
  }
  return null;
}
