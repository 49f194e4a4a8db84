/**
 * The public shape of the client core: what the element (or any UI) renders and calls.
 * The engine that fills these lives in `queue-engine.ts`.
 */
import type { ErrorCode, RoomStatus } from '../protocol.js';

/**
 * Where a visitor stands. Participles for work in flight, adjectives for settled states.
 * - `idle`: not started.
 * - `joining`: asking the server for a place (or resuming with the stored ticket).
 * - `waiting`: holds a place and watches the line move.
 * - `reconnecting`: the server cannot be reached; the ticket is kept and retried with backoff.
 * - `paused` / `closed`: the room does not move / takes nobody; the ticket is kept.
 * - `admitting`: the visitor's turn came; claiming the admission (retried safely).
 * - `admitted`: holds a valid admission.
 * - `rejected`: the server declared the ticket unusable; `rejection` says why.
 * - `sign-in-required`: the room binds places to the site's signed-in user and the visitor is
 *   not signed in (or their sign-in was refused; `problem` says why). Any ticket is kept;
 *   nothing is polled until `identityChanged()`.
 * - `booked`: the journey is over: the admission was used to book (`booking` says how this
 *   page learnt it). Final: nothing is polled or timed, and only an explicit `rejoin()` starts
 *   a new journey.
 */
export type QueueStatus =
  | 'idle'
  | 'joining'
  | 'waiting'
  | 'reconnecting'
  | 'paused'
  | 'closed'
  | 'admitting'
  | 'admitted'
  | 'rejected'
  | 'sign-in-required'
  | 'booked';

/**
 * How a journey ended (status `booked`).
 * - `booked`: the booking made with the admission succeeded (a 2xx answer to `gate.fetch`, or
 *   the page said so with `complete()`).
 * - `already-used`: the queue server or the booking backend answered `409 admission_used`: this
 *   place was used to book before (another tab, a form sent twice, a page posted elsewhere).
 */
export type BookingOutcome = 'booked' | 'already-used';

/** What a `booked` snapshot knows about the end of the journey. */
export interface BookingRecord {
  outcome: BookingOutcome;
  /**
   * True when this page did not see the journey end but found it remembered in storage (a
   * reload, a new tab): the site's own confirmation is not on the page any more.
   */
  restored: boolean;
}

/** A reason given by the server or the client for a refusal or a failure. */
export interface QueueProblem {
  /**
   * The server's code, or one of the client's own: `network`, `timeout`, `bad_response`,
   * `http_error` (a failed request), `admission_expired` (the admission ran out before it was
   * used: unlike the server's `token_expired`, nothing was refused, the visitor was too late).
   */
  code: ErrorCode | 'network' | 'timeout' | 'bad_response' | 'http_error' | 'admission_expired';
  message: string;
  /** With `cohort_not_open`: when the visitor's cohort opens (epoch ms, device clock). */
  opensAt?: number;
  /**
   * When the server asked to be asked again (its `Retry-After`, epoch ms, device clock). Until
   * then `retryNow()` and "look now" signals send nothing: a crowd's retry buttons must not
   * hammer a server that said it is overloaded.
   */
  retryAt?: number;
}

/**
 * Where the visitor's ticket is kept: `storage` survives a reload and is shared by the room's
 * tabs; `memory` lives only as long as this page, because the browser denies storage (a
 * cross-site iframe whose browser blocks third-party storage, a sandboxed frame, some private
 * modes).
 */
export type TicketPersistence = 'storage' | 'memory';

/** An honest estimate of the wait, as a range; `null` bounds mean "not yet known". */
export interface WaitEstimate {
  /** Lower bound in milliseconds, or null when unknown. */
  minMs: number | null;
  /** Upper bound in milliseconds, or null when unknown. */
  maxMs: number | null;
}

/** Everything a UI needs to render one moment of the queue. Immutable; a new one per change. */
export interface QueueSnapshot {
  status: QueueStatus;
  room: string;
  endpoint: string;
  /** The visitor's place, once known. */
  seq: number | null;
  /** Last known `serving` from the server. */
  serving: number | null;
  /** Highest seq handed out, when known. */
  issued: number | null;
  /** Places still ahead, moved smoothly between polls; never negative, never jumps back. */
  position: number | null;
  /** Places per second the line is moving, as last reported. */
  ratePerSec: number;
  estimate: WaitEstimate;
  /** Status of the room as last reported by the server. */
  roomStatus: RoomStatus | null;
  /**
   * When the ticket expires (epoch ms); null while the visitor holds no ticket (before the first
   * join succeeded, after a rejection): there is then no place to keep. The expiry is only the
   * ticket's outer bound: once the turn comes, the place is held for `holdSeconds`.
   */
  ticketExpiresAt: number | null;
  /**
   * How long a turn is held for the visitor once it comes (seconds), as the server reported it
   * in its join and state answers (the room's hold window, 300 s by default); null before.
   */
  holdSeconds: number | null;
  /** The admission token once admitted. */
  admission: string | null;
  /** When the admission expires (epoch ms). */
  admissionExpiresAt: number | null;
  /** When the server last answered successfully (epoch ms, client clock). */
  lastUpdatedAt: number | null;
  /** When the next request is scheduled (epoch ms), e.g. during reconnecting. */
  nextAttemptAt: number | null;
  /** The last transient failure (reconnecting), cleared on success. */
  problem: QueueProblem | null;
  /**
   * Requests failed in a row since the last answer (0 once one arrives). With `failingSince`,
   * lets a UI tell one lost request on a flaky network from a connection that stays down.
   */
  failures?: number;
  /** When the first of those failures happened (epoch ms), or null while `failures` is 0. */
  failingSince?: number | null;
  /** Where the ticket is kept (absent: `storage`); see {@link TicketPersistence}. */
  persistence?: TicketPersistence;
  /** Why the ticket was refused (`rejected` only). */
  rejection: QueueProblem | null;
  /** Whether this tab talks to the server (leader) or mirrors another tab. */
  isLeader: boolean;
  /**
   * Set while the visitor holds a pre-open ticket: when the room opens (epoch ms, device clock)
   * and a fair draw gives everyone who arrived before then a place. `seq` is null until then.
   */
  opensAt?: number | null;
  /**
   * Set while the visitor's cohort is not open yet (`paused`, no place taken): when it opens
   * (epoch ms, device clock). The engine joins again then by itself.
   */
  cohortOpensAt?: number | null;
  /** Set while `booked`: how the journey ended. */
  booking?: BookingRecord | null;
}

/** The engine that keeps a visitor's place. */
export interface QueueEngine {
  /** Starts (or resumes, with a stored ticket) and keeps polling until stopped. Idempotent. */
  start(): void;
  /** Stops timers, coordination and in-flight requests. The stored ticket is kept. */
  stop(): void;
  /** The current snapshot. */
  getSnapshot(): QueueSnapshot;
  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: (snapshot: QueueSnapshot) => void): () => void;
  /** Asks the server now instead of waiting for the next scheduled attempt (e.g. a retry button). */
  retryNow(): void;
  /** After `rejected` (or an expired admission past the hold), discards the ticket and joins anew. */
  rejoin(): void;
  /** Claims a new admission with the kept ticket (e.g. when the admission expired before use). */
  reclaim(): void;
  /**
   * Asks the server whether the admission on screen has been used to book, as after a form sent
   * from another tab: if it has, the journey ends (`booked`, `'already-used'`) in every tab
   * instead of the form staying open and later reported as not sent in time. Anything else the
   * server answers keeps the admission as it is. A follower tab asks the leading one. Optional
   * for engines made by an `engineFactory`.
   */
  recheckAdmission?(): void;
  /**
   * Ends the journey (`booked`): the booking made with the admission succeeded (`'booked'`), or
   * the booking backend said the place was already used (`'already-used'`). The ticket and
   * admission are forgotten, and storage remembers the end, so a reload or a new tab shows it
   * instead of joining again. Ignored before `start()`.
   */
  complete(outcome?: BookingOutcome): void;
  /**
   * Tells the engine the visitor signed in or out: it joins again with the ticket and the
   * identity the `identity` option gives now, so an anonymous place gets bound to the person
   * (the server keeps the better of two places of one person and releases the other), and a
   * visitor in `sign-in-required` joins. Ignored before `start()`, while admitted and after the
   * journey ended.
   */
  identityChanged(): void;
}
