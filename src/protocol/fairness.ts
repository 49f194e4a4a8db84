/** The public fairness record of a room: its committed opening draw and how the line moved. */
import type { FairnessSignedFacts } from './fairness-tokens.js';

/**
 * A round of a public randomness beacon (such as drand) that a room's draw is bound to: the room
 * setting `beacon`, named by the draw's commitment before the entrant list can freeze.
 */
export interface DrawBeacon {
  /** Which beacon, as its operator names it (e.g. `drand-quicknet`): 1–64 of `A-Za-z0-9._:-`. */
  id: string;
  /** The round whose value the draw waits for (published at or after the opening). */
  round: number;
  /**
   * Where the server may fetch the round itself (`<url>/public/<round>`, answering drand's
   * `{ "round", "randomness" }`); absent when the admin supplies the value.
   */
  url?: string;
}

/** A draw's beacon as the fairness record shows it: the committed round and, once in, its value. */
export interface FairnessBeacon extends DrawBeacon {
  /** The round's value, lowercase hex (null while the draw waits for it). */
  value: string | null;
}

/**
 * The committed draw of a room with a scheduled opening. The server publishes
 * `commitment = sha256(seed)` (hex) before the room opens and reveals `seed` when it opens;
 * the order is pre-open ticket `sub`s sorted by `HMAC-SHA256(key, sub)` (hex, ascending; ties
 * by `sub`), where `key` is the seed's bytes, or, with a beacon, `SHA-256(seed bytes || beacon
 * value bytes)`; the i-th of them (from 0) gets seq `base + i + 1`.
 */
export interface FairnessDraw {
  /** Hex SHA-256 of the seed bytes. */
  commitment: string;
  committedAt: number;
  opensAt: number;
  /** Hex seed; null until the draw ran. */
  seed: string | null;
  /** When the draw ran; null before. */
  drawnAt: number | null;
  /** Seqs up to this one were handed out before the draw (0 for a room that opened with it). */
  base: number;
  /** The pre-open ticket `sub`s, sorted (null before the draw). */
  entrants: string[] | null;
  /** How many entered before the draw: the size of the draw (null before the draw). */
  entrantCount: number | null;
  /**
   * The beacon round the commitment named, with its value once in; null for a draw without a
   * beacon. A draw with `drawnAt` set and a null `beacon.value` froze its entrants and waits for
   * the value: nobody has a drawn place until it comes. (Optional in the type for records made
   * before beacons existed; the server always sends it.)
   */
  beacon?: FairnessBeacon | null;
}

/** Answer to `GET /rooms/:room/fairness`: public, cacheable, the same for everybody. */
export interface FairnessRecord {
  room: string;
  /** The draw, when the room has a scheduled opening. */
  draw: FairnessDraw | null;
  /** `serving` and `issued` sampled over time, oldest first (bounded). */
  series: Array<{ at: number; serving: number; issued: number }>;
  /** Admissions claimed per minute, oldest minute first (bounded). */
  admissionsPerMinute: Array<{ minute: number; count: number }>;
  /** Signed snapshots (compact JWS, `typ: queue-gate-fairness+jwt`), oldest first (bounded). */
  snapshots: string[];
  /** The draw's commitment and reveal and this record's series, each signed (see `FAIRNESS_TOKEN_TYPES`). */
  signed: FairnessSignedFacts;
  /** Where the keys that verify `snapshots` and `signed` are: `PATHS.jwks`. */
  jwks: string;
  updatedAt: number;
}
