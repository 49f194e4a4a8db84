/** The public fairness record of a room: its committed opening draw and how the line moved. */
import type { FairnessSignedFacts } from './fairness-tokens.js';

/**
 * The committed draw of a room with a scheduled opening. The server publishes
 * `commitment = sha256(seed)` (hex) before the room opens and reveals `seed` when it opens;
 * the order is pre-open ticket `sub`s sorted by `HMAC-SHA256(key = seed bytes, sub)` (hex,
 * ascending; ties by `sub`), and the i-th of them (from 0) gets seq `base + i + 1`.
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
