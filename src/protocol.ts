/**
 * The queue-gate wire protocol: paths, message shapes, token types, error codes and limits.
 *
 * This module is the one source of truth that the client core, the element, the reference
 * server, the verifier and the mocks all import. It imports nothing itself, so it can be
 * loaded anywhere (browsers, Node, edge runtimes) at no cost.
 *
 * @packageDocumentation
 */

/** Version of the wire protocol; bumped only on incompatible changes. */
export const PROTOCOL_VERSION = 1;

/** Whether a room lets its line move. */
export type RoomStatus = 'open' | 'paused' | 'closed';

/** All room statuses, for validation. */
export const ROOM_STATUSES: readonly RoomStatus[] = ['open', 'paused', 'closed'];

/**
 * Room ids: 1–64 characters of letters, digits, `-` and `_`, starting with a letter or digit.
 * Kept narrow so a room id is always safe in a URL path, a storage key, a metric label and a
 * Redis key without escaping.
 */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** @returns whether `room` is a well-formed room id. */
export function isValidRoomId(room: unknown): room is string {
  return typeof room === 'string' && ROOM_ID_PATTERN.test(room);
}

/** Paths of the public endpoints, relative to the queue server's origin (or base URL). */
export const PATHS = {
  join: (room: string) => `/rooms/${encodeURIComponent(room)}/join`,
  state: (room: string) => `/rooms/${encodeURIComponent(room)}/state`,
  admit: (room: string) => `/rooms/${encodeURIComponent(room)}/admit`,
  /** Public fairness record of a room (see {@link FairnessRecord}). */
  fairness: (room: string) => `/rooms/${encodeURIComponent(room)}/fairness`,
  jwks: '/.well-known/jwks.json',
  health: '/healthz',
  metrics: '/metrics',
} as const;

/** Body of `POST /rooms/:room/join`: empty for a new visitor, or the ticket already held. */
export interface JoinRequest {
  ticket?: string;
  /**
   * The visitor's cohort, for a room split into cohorts (e.g. a birth-date digit): required by
   * such a room on a first join, ignored with a ticket (the ticket carries it).
   */
  cohort?: string;
}

/**
 * Answer to `POST /rooms/:room/join`. A still-valid ticket for the room returns the same
 * `seq` (and may return a refreshed ticket for the same place).
 */
export interface JoinResponse {
  /** Server-signed ticket (a JWS) that holds the visitor's place. Keep it; send it back. */
  ticket: string;
  /** The visitor's place in line: 1 is the first visitor ever to join the room. */
  seq: number;
  /** Highest seq allowed to claim admission now. */
  serving: number;
  /**
   * `max(0, seq - serving)`: how many more places the line must move before it is the visitor's
   * turn. The people still ahead of the visitor are one fewer (`position - 1`).
   */
  position: number;
  /** Recent rate at which `serving` advances, in places per second (0 when unknown/stopped). */
  ratePerSec: number;
  /** When to ask again, in milliseconds, as directed by the server (before client jitter). */
  pollAfterMs: number;
  /** When the ticket stops being valid, in epoch milliseconds. */
  ticketExpiresAt: number;
  /** How long after their turn a visitor may still claim admission, in seconds. */
  holdSeconds: number;
  /** The room's status at the time of the answer. */
  status: RoomStatus;
  /**
   * The server's clock when it made this answer (epoch ms). Join and admit answers are never
   * cached, so clients measure their clock error from these, never from a (cacheable) state.
   */
  serverTime?: number;
  /**
   * True for a pre-open ticket: the room has not opened yet, so the visitor has no place yet
   * (`seq` is 0). At opening a committed draw orders every pre-open ticket; joining again
   * with the same ticket afterwards answers the drawn `seq` (the same one forever after).
   */
  pre?: boolean;
  /** When the room opens (epoch ms), for a room with a scheduled opening. */
  opensAt?: number;
  /** The visitor's cohort, when the room has cohorts. */
  cohort?: string;
}

/**
 * Answer to `GET /rooms/:room/state`: identical for every visitor of a room, so it is
 * cacheable by a CDN. Clients compute `position = seq - serving` themselves.
 */
export interface StateResponse {
  status: RoomStatus;
  serving: number;
  /** Highest seq handed out so far. */
  issued: number;
  ratePerSec: number;
  /** Poll interval for visitors near the front; farther visitors scale it up (see below). */
  pollAfterMs: number;
  /** When the room opens, in epoch milliseconds, if it has a scheduled opening. */
  opensAt?: number;
  /**
   * When this snapshot was made (epoch ms, server clock). It may be seconds or minutes old (a
   * quiet room, a CDN cache): informational only, never a clock reference.
   */
  updatedAt: number;
}

/** Answer to `POST /rooms/:room/admit` (with `Authorization: Bearer <ticket>`). */
export interface AdmitResponse {
  /** Server-signed, short-lived, single-use admission token for the booking backend. */
  admission: string;
  /** When the admission expires, in epoch milliseconds (server clock). */
  expiresAt: number;
  /** The server's clock when it made this answer (epoch ms); see {@link JoinResponse.serverTime}. */
  serverTime?: number;
}

/** A JSON error body: every non-2xx answer of the server has this shape. */
export interface ErrorResponse {
  error: {
    code: ErrorCode;
    message: string;
    /** With `cohort_not_open`: when the visitor's cohort opens (epoch ms), if it will. */
    opensAt?: number;
  };
}

/**
 * Why a token (ticket or admission) was refused. Each refusal has its own code so that
 * operators can tell attacks from bugs in the metrics and logs.
 */
export type TokenErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_too_large'
  | 'token_bad_signature'
  | 'token_alg_not_allowed'
  | 'token_unknown_kid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_wrong_type'
  | 'token_wrong_room'
  | 'token_wrong_audience'
  | 'token_wrong_issuer'
  | 'token_missing_claim'
  | 'token_wrong_cohort';

/** Every error code the server may send, as one string union (stable: clients branch on it). */
export type ErrorCode =
  | TokenErrorCode
  | 'invalid_room_id'
  | 'invalid_body'
  | 'body_too_large'
  | 'body_timeout'
  | 'unsupported_media_type'
  | 'room_not_found'
  | 'room_closed'
  | 'not_your_turn'
  | 'booking_full'
  | 'hold_expired'
  | 'cohort_not_open'
  | 'admission_used'
  | 'unauthorized'
  | 'forbidden'
  | 'origin_not_allowed'
  | 'not_found'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'overloaded'
  | 'internal';

/**
 * Codes with which the server declares a ticket unusable. Only these make a client discard
 * its ticket; anything else (network errors, timeouts, 5xx, malformed answers) keeps it.
 */
export const TICKET_DISCARD_CODES: readonly ErrorCode[] = [
  'token_malformed',
  'token_too_large',
  'token_bad_signature',
  'token_alg_not_allowed',
  'token_unknown_kid',
  'token_expired',
  'token_not_yet_valid',
  'token_wrong_type',
  'token_wrong_room',
  'token_wrong_audience',
  'token_wrong_issuer',
  'token_missing_claim',
  'hold_expired',
];

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
  /** The pre-open ticket `sub`s, in no particular order (null before the draw). */
  entrants: string[] | null;
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
  /** Where the keys that verify `snapshots` are: `PATHS.jwks`. */
  jwks: string;
  updatedAt: number;
}

/**
 * The hardest join proof of work (leading zero bits of SHA-256) a client solves: about 16
 * million hashes, tens of seconds on a slow phone. A server must never ask for more, or it locks out
 * every new visitor.
 */
export const MAX_JOIN_POW_BITS = 24;

/** Name of the hidden form field that carries the admission into a booking form. */
export const ADMISSION_FIELD = 'queue_admission';

/** Size limits shared by both sides: a client never sends more, a server never reads more. */
export const LIMITS = {
  /** Longest token accepted anywhere, in characters. */
  maxTokenLength: 4096,
  /** Largest request body the server reads, in bytes. */
  maxBodyBytes: 8192,
} as const;

/**
 * Poll scheduling bounds (milliseconds). The server directs the interval; these keep a buggy or
 * hostile answer from making a client hammer the origin or fall asleep.
 */
export const POLL_BOUNDS = {
  minMs: 1000,
  maxMs: 60000,
} as const;

/**
 * The poll interval for a visitor `position` places from the front, given the room's base
 * interval (`pollAfterMs` of a state answer, meant for the front of the line).
 *
 * Why this shape: a visitor whose turn is hours away learns nothing new from a poll every few
 * seconds, and a million of them polling every 3 s would be 333,000 requests/s. The interval
 * therefore grows with the expected time to the front (a tenth of it, so the visitor still
 * sees the line move several times before their turn), and with distance alone when the rate
 * is unknown, up to `POLL_BOUNDS.maxMs`. Server and client share this function so that the
 * `pollAfterMs` of a join answer and the client's own scaling of a state answer agree.
 *
 * @param position - places ahead of the visitor (0 at the front)
 * @param ratePerSec - places per second the line moves (0 when stopped or unknown)
 * @param baseMs - the room's interval for the front of the line
 * @returns milliseconds to wait before the next poll, before jitter
 */
export function pollIntervalFor(position: number, ratePerSec: number, baseMs: number): number {
  const base = Math.min(Math.max(baseMs, POLL_BOUNDS.minMs), POLL_BOUNDS.maxMs);
  const ahead = Math.max(0, Number.isFinite(position) ? position : 0);
  if (ahead === 0) return base;
  const byDistance = base * (1 + Math.log2(1 + ahead / 25));
  const byTime = ratePerSec > 0 ? ((ahead / ratePerSec) * 1000) / 10 : 0;
  return Math.round(Math.min(POLL_BOUNDS.maxMs, Math.max(base, byDistance, byTime)));
}
