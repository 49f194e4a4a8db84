/**
 * The signed facts of a room's fairness record: the draw's commitment, its reveal and the
 * published series, each a compact JWS with its own `typ`, verifiable against the JWKS.
 */
import type { DrawBeacon } from './fairness.js';
import { TOKEN_TYPES } from './tokens.js';

/**
 * JWS `typ` of each fairness fact: a commitment can never be taken for a reveal, a snapshot or
 * any ticket, nor the reverse.
 */
export const FAIRNESS_TOKEN_TYPES = {
  /** "Every seq up to `serving` had been called at `at`" (see `FairnessSnapshotClaims`). */
  snapshot: TOKEN_TYPES.fairness,
  /** The draw's commitment, signed when the opening was scheduled. */
  commitment: 'queue-gate-draw-commitment+jwt',
  /** The draw's seed and frozen entrants, signed when it ran. */
  reveal: 'queue-gate-draw-reveal+jwt',
  /** The published series and per-minute counts, by digest. */
  series: 'queue-gate-fairness-series+jwt',
} as const;

/** Claims of a draw commitment (`typ: queue-gate-draw-commitment+jwt`). */
export interface DrawCommitmentClaims {
  iss: string;
  room: string;
  /** Lowercase hex SHA-256 of the seed's 32 bytes. */
  commitment: string;
  /** The opening the draw was committed for, epoch ms (the room's `opensAt` then). */
  opensAt: number;
  /** When the commitment was made, epoch ms. */
  committedAt: number;
  /** `committedAt` in epoch seconds (rounded down). */
  iat: number;
  /** The beacon round the draw is bound to (absent for a draw without a beacon). */
  beacon?: DrawBeacon;
}

/** Claims of a draw reveal (`typ: queue-gate-draw-reveal+jwt`). */
export interface DrawRevealClaims {
  iss: string;
  room: string;
  /** The commitment this seed answers. */
  commitment: string;
  /** Lowercase hex of the seed's 32 bytes. */
  seed: string;
  /** How many distinct pre-open tickets took part: the size of the draw. */
  entrants: number;
  /** Lowercase hex SHA-256 of the sorted entrant `sub`s joined by `\n` (see `entrantsDigest`). */
  entrantsDigest: string;
  /** Seqs up to this one were handed out before the draw. */
  base: number;
  /** When the draw ran, epoch ms. */
  drawnAt: number;
  /** `drawnAt` in epoch seconds (rounded down). */
  iat: number;
  /**
   * The committed beacon round and its value (lowercase hex; null while the draw waits for it);
   * absent for a draw without a beacon.
   */
  beacon?: { id: string; round: number; value: string | null };
}

/** Claims of a signed series (`typ: queue-gate-fairness-series+jwt`). */
export interface FairnessSeriesClaims {
  iss: string;
  room: string;
  /** Lowercase hex SHA-256 of the lines `at,serving,issued` joined by `\n`, oldest first. */
  seriesDigest: string;
  /** Lowercase hex SHA-256 of the lines `minute,count` joined by `\n`, oldest first. */
  countsDigest: string;
  /** When the record was built, epoch ms. */
  at: number;
  iat: number;
}

/** The signed facts of a fairness record (`FairnessRecord.signed`). */
export interface FairnessSignedFacts {
  /** The draw's commitment (null for a room without a draw). */
  commitment: string | null;
  /** The draw's reveal (null until the draw ran). */
  reveal: string | null;
  /** The record's `series` and `admissionsPerMinute`, by digest. */
  series: string;
}
