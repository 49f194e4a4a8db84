/**
 * The queue machine's data: its state, the events it takes, the effects it asks for, and the
 * state before `start`. The rules that move it live beside it (`machine-*.ts`), joined in
 * `queue-machine.ts`.
 */
import type { AdmitResponse, JoinResponse, RoomStatus, StateResponse } from '../protocol.js';
import type { BookedRecord } from './booked-store.js';
import type { TransportFailure } from './errors.js';
import type { PositionTrack } from './position-estimate.js';
import type { StoredTicket } from './ticket-store.js';
import type { BookingOutcome, BookingRecord, QueueProblem, QueueStatus } from './types.js';

/** The three requests the machine can ask for. */
export type RequestKind = 'join' | 'state' | 'admit';

/**
 * Whether a join asks the page for the visitor's identity (see `identity-assertion.ts`):
 * `ask` sends it when there is one and joins anonymously otherwise; `require` sends nothing
 * without one and shows the sign-in state instead.
 */
export type JoinIdentity = 'ask' | 'require';

/** The timers the machine can ask for. `poll` and `retry` both lead to the `next` request. */
export type TimerKind = 'poll' | 'retry' | 'admission-expiry';

/** Everything the machine knows. Plain data; replaced, never mutated. */
export interface MachineState {
  status: QueueStatus;
  ticket: string | null;
  seq: number | null;
  ticketExpiresAt: number | null;
  /**
   * When the ticket has less than this left (ms), the next request is a join that refreshes it
   * (see `ticket-refresh.ts`); null when no refresh is due.
   */
  ticketRefreshBelowMs: number | null;
  holdSeconds: number | null;
  serving: number | null;
  issued: number | null;
  ratePerSec: number;
  roomStatus: RoomStatus | null;
  /** The position estimate's data (see `position-estimate.ts`), once `seq` and `serving` are known. */
  track: PositionTrack | null;
  admission: string | null;
  admissionExpiresAt: number | null;
  lastUpdatedAt: number | null;
  nextAttemptAt: number | null;
  problem: QueueProblem | null;
  rejection: QueueProblem | null;
  /** The request to send when the timer fires or the visitor asks to retry. */
  next: RequestKind | null;
  /** The request in flight, if any: at most one at a time. */
  inFlight: RequestKind | null;
  /** Consecutive failures, the exponent of the backoff. */
  failures: number;
  /** When the first of the current run of failures happened (meaningful while `failures` > 0). */
  failingSince: number | null;
  /** When the last request was sent (epoch ms). */
  lastRequestAt: number | null;
  /**
   * The poll interval of the last answer (as `pollDelay` in `poll-schedule.ts` takes it), or
   * null before one: a failed poll is retried no sooner than this visitor would have polled anyway.
   */
  pollInterval: { pollAfterMs: number; scaled: boolean } | null;
  /**
   * This device's clock error (server time minus device time, ms) as seen in state answers, or
   * 0 while it is within {@link CLOCK_SKEW_TOLERANCE_MS}.
   */
  clockOffsetMs: number;
  /** While the ticket is a pre-open one: when the room opens (device clock), else null. */
  opensAt: number | null;
  /** While the visitor's cohort is not open: when it opens (device clock), else null. */
  cohortOpensAt: number | null;
  /** While `booked`: how the journey ended. */
  booking: BookingRecord | null;
  /** How the pending join asks for the visitor's identity; null: it does not. */
  joinIdentity: JoinIdentity | null;
  /**
   * Whether a fresh identity was asked for after an identity refusal since the last join
   * answer: a second refusal then shows the sign-in state instead of asking again.
   */
  identityRetried: boolean;
}

/** What happens to the machine; `at` is the time (epoch ms) and `random` a uniform [0, 1) draw. */
export type MachineEvent = (
  | {
      type: 'start';
      stored: StoredTicket | null;
      /** The room's "booked" marker (see `booked-store.ts`), if any. */
      booked?: BookedRecord | null;
    }
  | { type: 'stop' }
  | { type: 'joined'; response: JoinResponse }
  | { type: 'state-received'; response: StateResponse }
  | { type: 'admission-received'; response: AdmitResponse }
  | { type: 'request-failed'; request: RequestKind; failure: TransportFailure }
  | { type: 'timer'; kind: TimerKind }
  | { type: 'retry-now' }
  | { type: 'resume' }
  | { type: 'rejoin' }
  | { type: 'reclaim' }
  /** Ask the server whether the admission shown was used (a form sent from another tab). */
  | { type: 'recheck' }
  | { type: 'restore'; stored: StoredTicket }
  | { type: 'complete'; outcome: BookingOutcome }
  /** The visitor signed in or out: join again with the ticket and the identity now. */
  | { type: 'identity-changed' }
) & { at: number; random: number };

/** What the machine asks the engine to do, in order. */
export type MachineEffect =
  | { type: 'join'; ticket: string | null; identity?: JoinIdentity }
  | { type: 'poll-state' }
  | { type: 'admit'; ticket: string }
  | { type: 'schedule'; kind: TimerKind; delayMs: number }
  | { type: 'cancel'; kinds: readonly TimerKind[] }
  | { type: 'abort' }
  | { type: 'persist' }
  | { type: 'discard-ticket' }
  /** Forget the ticket and admission, and remember that the journey ended (`record`). */
  | { type: 'mark-booked'; record: BookedRecord };

/** A transition's outcome. */
export interface Transition {
  state: MachineState;
  effects: MachineEffect[];
}

/** The state before `start`. */
export const initialMachineState: MachineState = {
  status: 'idle',
  ticket: null,
  seq: null,
  ticketExpiresAt: null,
  ticketRefreshBelowMs: null,
  holdSeconds: null,
  serving: null,
  issued: null,
  ratePerSec: 0,
  roomStatus: null,
  track: null,
  admission: null,
  admissionExpiresAt: null,
  lastUpdatedAt: null,
  nextAttemptAt: null,
  problem: null,
  rejection: null,
  next: null,
  inFlight: null,
  failures: 0,
  failingSince: null,
  lastRequestAt: null,
  pollInterval: null,
  clockOffsetMs: 0,
  opensAt: null,
  cohortOpensAt: null,
  booking: null,
  joinIdentity: null,
  identityRetried: false,
};

/**
 * Clock errors smaller than this are ignored: network latency makes small offsets noise.
 * Larger ones are real (a device set minutes or hours wrong) and would otherwise make a
 * two-minute admission look expired on arrival.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 30_000;

/**
 * The problem kept on an `admitted` snapshot whose admission ran out before it was used. Its own
 * code, not the server's `token_expired`: no server refused anything, the visitor was too late,
 * and the kept ticket can claim a new admission.
 */
export const ADMISSION_EXPIRED: QueueProblem = {
  code: 'admission_expired',
  message: 'The admission expired before it was used; claim a new one.',
};
