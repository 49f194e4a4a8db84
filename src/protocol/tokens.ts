/** The server-signed tokens: their JWS `typ` values and their claims. */

/** JWS `typ` header values: a ticket can never be taken for an admission, nor the reverse. */
export const TOKEN_TYPES = {
  ticket: 'queue-gate-ticket+jwt',
  admission: 'queue-gate-admission+jwt',
  /** A signed fairness snapshot: "admitted up to seq N at time T" (see {@link FairnessSnapshotClaims}). */
  fairness: 'queue-gate-fairness+jwt',
} as const;

/** Claims of a ticket (`typ: queue-gate-ticket+jwt`). */
export interface TicketClaims {
  iss: string;
  /** Random visitor id. */
  sub: string;
  room: string;
  /** The place in line; 0 for a pre-open ticket (`pre: true`) before the draw. */
  seq: number;
  iat: number;
  exp: number;
  /** Set on a pre-open ticket: its place is the one the opening draw gives `sub`. */
  pre?: true;
  /** The visitor's cohort, in a room with cohorts. */
  cohort?: string;
  /**
   * For a place bound to a signed-in identity: the room's keyed hash of it (base64url
   * HMAC-SHA256, see `identityHash` of `queue-gate/verify`), never the identity itself.
   */
  idh?: string;
}

/** Claims of an admission (`typ: queue-gate-admission+jwt`). */
export interface AdmissionClaims {
  iss: string;
  sub: string;
  room: string;
  seq: number;
  aud: string;
  /** Unique id of this admission (one place may be given several, one after another). */
  jti: string;
  iat: number;
  exp: number;
  /**
   * The latest `exp` any admission for this place can carry, in epoch seconds: the queue server
   * signs no admission for the place after its hold ends. Single use is per place (`iss`,
   * `room`, `seq`), and a booking backend's record of a booked place can be forgotten after
   * this (plus its clock tolerance).
   */
  placeExp: number;
  /** The visitor's cohort, in a room with cohorts: booking backends may require it. */
  cohort?: string;
  /**
   * For a place bound to a signed-in identity: the room's keyed hash of it. A booking backend
   * checks it with the `identity` option of `verifyAdmission`.
   */
  idh?: string;
}

/** Claims of a signed fairness snapshot (`typ: queue-gate-fairness+jwt`). */
export interface FairnessSnapshotClaims {
  iss: string;
  room: string;
  /** Every seq up to this one had been called (allowed to claim admission) at `at`. */
  serving: number;
  /** Highest seq handed out at `at`. */
  issued: number;
  /** When the figures were read, epoch ms. */
  at: number;
  iat: number;
}
