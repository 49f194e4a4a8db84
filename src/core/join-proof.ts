/**
 * The client side of a room's proof-of-work join challenge: when a new place is refused with
 * `Queue-Gate-Challenge: pow bits=N window=S`, find a nonce such that
 * SHA-256(`room|nonce|timestamp`) starts with N zero bits and send it as
 * `Queue-Gate-Proof: <timestamp>.<nonce>`.
 *
 * Why batches: a phone needs about 2^N hashes; done in one go the page would freeze, so the
 * work is cut into small batches with a pause for the page between them. Why bounded: a
 * challenge the visitor cannot meet (a hostile or misconfigured server asking for 40 bits)
 * must end in the normal retry path, never in a tab that burns battery forever.
 */
import { MAX_JOIN_POW_BITS } from '../protocol.js';
import type { SolveJoinProofOptions } from './join-proof-solver.js';

/** Request header carrying a proof (the server allows it in CORS preflights). */
export const JOIN_PROOF_HEADER = 'Queue-Gate-Proof';
/** Response header of a refused join that says what to solve. */
export const JOIN_CHALLENGE_HEADER = 'Queue-Gate-Challenge';
/** The hardest challenge a client takes on: about 16 million hashes, tens of seconds on a phone. */
export const MAX_CLIENT_POW_BITS = MAX_JOIN_POW_BITS;

/** A proof-of-work challenge as read from `Queue-Gate-Challenge`. */
export interface PowChallenge {
  bits: number;
  /** How far the proof's timestamp may be from the server's clock, in seconds. */
  windowSeconds: number;
  /**
   * The server's clock when it asked (epoch ms), if it said. Proofs are stamped from it, so a
   * device whose clock is hours off still makes proofs inside the window.
   */
  serverNow?: number;
}

/**
 * Reads a `Queue-Gate-Challenge` header value.
 *
 * @returns null when absent, not a proof of work, or harder than {@link MAX_CLIENT_POW_BITS}.
 * @example
 * ```ts
 * parsePowChallenge('pow bits=18 window=120'); // { bits: 18, windowSeconds: 120 }
 * ```
 */
export function parsePowChallenge(value: string | null): PowChallenge | null {
  if (value === null) return null;
  const match = /^\s*pow\s+bits=(\d{1,2})(?:\s+window=(\d{1,6}))?(?:\s+now=(\d{1,15}))?\s*$/i.exec(
    value,
  );
  if (!match) return null;
  const bits = Number(match[1]);
  if (bits < 1 || bits > MAX_CLIENT_POW_BITS) return null;
  const challenge: PowChallenge = {
    bits,
    windowSeconds: match[2] === undefined ? 120 : Number(match[2]),
  };
  if (match[3] !== undefined) challenge.serverNow = Number(match[3]);
  return challenge;
}

export type { SolveJoinProofOptions } from './join-proof-solver.js';

/**
 * Finds a proof for `room` at `timestamp` (epoch ms), using WebCrypto so it runs the same in
 * browsers and in Node. The search is a chunk of its own, fetched on the first challenge; when
 * it cannot be fetched the promise rejects, and the join fails like any refused one.
 *
 * @returns the `Queue-Gate-Proof` header value, or null when aborted or out of attempts
 * @example
 * ```ts
 * const proof = await solveJoinProof('launch', { bits: 16, windowSeconds: 120 }, Date.now());
 * if (proof) headers['Queue-Gate-Proof'] = proof;
 * ```
 */
export async function solveJoinProof(
  room: string,
  challenge: PowChallenge,
  timestamp: number,
  options: SolveJoinProofOptions = {},
): Promise<string | null> {
  const { searchJoinProof } = await import('./join-proof-solver.js');
  return searchJoinProof(room, challenge, timestamp, options);
}
