/** Bodies of the public endpoints: what a client sends and what the server answers. */

import type { ErrorCode } from './errors.js';
import type { RoomIdentityMode, RoomStatus } from './rooms.js';

/** Body of `POST /rooms/:room/join`: empty for a new visitor, or the ticket already held. */
export interface JoinRequest {
  ticket?: string;
  /**
   * The visitor's cohort, for a room split into cohorts (e.g. a birth-date digit): required by
   * such a room on a first join, ignored with a ticket (the ticket carries it).
   */
  cohort?: string;
  /**
   * An identity assertion: a short-lived JWT the site's backend signed for its signed-in user
   * (see docs/identity.md). In a room with identity configured, the place is bound to that
   * person: every later join with the same identity, from any browser, answers the same place.
   * Alone or together with `ticket`.
   */
  identity?: string;
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
  /** Whether the room binds places to a signed-in identity; absent when it has none configured. */
  identity?: RoomIdentityMode;
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
  /**
   * Whether the room binds places to a signed-in identity (`required`: no join without one);
   * absent when it has none configured. Lets a client show a sign-in screen before joining.
   */
  identity?: RoomIdentityMode;
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
    /**
     * `identity` when the refusal is about the identity assertion, not the ticket: the ticket
     * is fine and must be kept (get a fresh assertion, or ask the visitor to sign in).
     */
    token?: 'identity';
  };
}
