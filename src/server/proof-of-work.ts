/**
 * A reference {@link JoinChallenge}: hashcash-style proof of work. The client finds a `nonce`
 * such that SHA-256(`room|nonce|timestamp`) starts with `bits` zero bits and sends
 * `Queue-Gate-Proof: <timestamp>.<nonce>`; the server checks it with one hash.
 *
 * Why it helps and where it stops: each new place costs about 2^bits hashes, a second or so in
 * a phone's browser at 18 bits, which is nothing for one visitor and real money for a bot
 * taking 100,000 places. It does not stop a patient bot with many cores; it prices it. A
 * proof is bound to its room and to a short time window, and is accepted once.
 */
import type { JoinChallenge } from './join-challenge.js';
import { createUsedProofs } from './used-proofs.js';

/** Request header carrying the proof. */
export const PROOF_OF_WORK_HEADER = 'Queue-Gate-Proof';

/** Options of {@link createProofOfWorkChallenge}. */
export interface ProofOfWorkOptions {
  /** Leading zero bits the hash must have (default 18, at most 32). */
  bits?: number;
  /** How far a proof's timestamp may be from the server's clock, in seconds (default 120). */
  windowSeconds?: number;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /**
   * Marks a proof used where every server process sees it (e.g. the queue store's
   * `consumeJti`): true the first time only. Without it, replays are refused per process, so
   * behind N processes one proof could buy N places.
   */
  consumeOnce?: (key: string, expiresAtMs: number) => Promise<boolean>;
}

const PROOF_PATTERN = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;

/** @returns how many zero bits `bytes` starts with. */
export function leadingZeroBits(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      count += 8;
      continue;
    }
    return count + Math.clz32(byte) - 24;
  }
  return count;
}

async function proofHash(room: string, nonce: string, timestamp: number): Promise<Uint8Array> {
  const input = new TextEncoder().encode(`${room}|${nonce}|${timestamp}`);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input));
}

/**
 * Creates the proof-of-work join challenge.
 *
 * @example
 * ```ts
 * const app = createQueueApp({ service, adminToken, joinChallenge: createProofOfWorkChallenge({ bits: 18 }) });
 * ```
 */
export function createProofOfWorkChallenge(options: ProofOfWorkOptions = {}): JoinChallenge {
  const bits = options.bits ?? 18;
  if (!Number.isInteger(bits) || bits < 1 || bits > 32) {
    throw new RangeError('bits must be a whole number from 1 to 32.');
  }
  const windowSeconds = options.windowSeconds ?? 120;
  if (!(windowSeconds > 0) || !Number.isFinite(windowSeconds)) {
    throw new RangeError('windowSeconds must be a positive number of seconds.');
  }
  const windowMs = windowSeconds * 1000;
  const now = options.now ?? Date.now;
  // Proofs already used, for as long as they are inside the window (and so could be replayed).
  const used = createUsedProofs(windowMs);

  return {
    async verify(request, room) {
      const match = PROOF_PATTERN.exec(request.headers.get(PROOF_OF_WORK_HEADER) ?? '');
      if (!match) return false;
      const timestamp = Number(match[1]);
      const nonce = match[2]!;
      const at = now();
      if (Math.abs(at - timestamp) > windowMs) return false;
      const key = `${room}|${nonce}|${timestamp}`;
      used.forget(at);
      if (used.has(key, timestamp)) return false;
      if (leadingZeroBits(await proofHash(room, nonce, timestamp)) < bits) return false;
      // Checked again: two copies of one proof may have been hashed at the same time.
      if (used.has(key, timestamp)) return false;
      used.add(key, timestamp);
      return options.consumeOnce ? options.consumeOnce(key, timestamp + windowMs) : true;
    },
    describe() {
      // `now` lets a client whose clock is off stamp its proof inside the window.
      return `pow bits=${bits} window=${windowMs / 1000} now=${Math.floor(now())}`;
    },
  };
}

/**
 * Finds a proof for `room` (what a client runs; about 2^bits hashes).
 *
 * @returns the value of the `Queue-Gate-Proof` header
 * @example
 * ```ts
 * const proof = await solveProofOfWork('launch', 18, Date.now());
 * await fetch('/rooms/launch/join', { method: 'POST', headers: { 'Queue-Gate-Proof': proof } });
 * ```
 */
export async function solveProofOfWork(
  room: string,
  bits: number,
  timestamp: number,
): Promise<string> {
  for (let counter = 0; ; counter += 1) {
    const nonce = counter.toString(36);
    if (leadingZeroBits(await proofHash(room, nonce, timestamp)) >= bits) {
      return `${timestamp}.${nonce}`;
    }
  }
}
