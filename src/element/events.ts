/**
 * The events `<queue-gate>` dispatches. Each is a typed `Event` subclass (not a `CustomEvent`
 * with a loose `detail`) so listeners get real properties and editors autocomplete them. All
 * bubble and are composed, so they leave the element's shadow root and reach page-level code.
 */
import type { BookingOutcome, QueueProblem, QueueSnapshot, QueueStatus } from '../core/types.js';

const OPTIONS = { bubbles: true, composed: true } as const;

/** Fired on every status change, including to `reconnecting` and back. */
export class QueueGateChangeEvent extends Event {
  /** The event's type name. */
  static readonly eventName = 'queue-gate-change' as const;

  /**
   * @param status - the new status
   * @param previousStatus - the status before this change
   * @param snapshot - the core snapshot that caused the change
   */
  constructor(
    readonly status: QueueStatus,
    readonly previousStatus: QueueStatus,
    readonly snapshot: QueueSnapshot,
  ) {
    super(QueueGateChangeEvent.eventName, OPTIONS);
  }
}

/**
 * Fired when an admission arrives, before the default hand-off (revealing the slotted form and
 * filling its hidden input, or redirecting to `admit-url`). Cancel it with `preventDefault()`
 * to take over the hand-off yourself, e.g. in a single-page app.
 */
export class QueueGateAdmitEvent extends Event {
  /** The event's type name. */
  static readonly eventName = 'queue-gate-admit' as const;

  /**
   * @param admission - the admission token (a JWS) for the booking backend
   * @param expiresAt - when the admission expires, in epoch milliseconds (null if unknown)
   */
  constructor(
    readonly admission: string,
    readonly expiresAt: number | null,
  ) {
    super(QueueGateAdmitEvent.eventName, { ...OPTIONS, cancelable: true });
  }
}

/** How the admission was handed to the booking side. */
export type AdmissionHandOff = 'reveal' | 'redirect';

/** Fired after the default hand-off has run (not fired when `queue-gate-admit` was canceled). */
export class QueueGateAdmittedEvent extends Event {
  /** The event's type name. */
  static readonly eventName = 'queue-gate-admitted' as const;

  /**
   * @param admission - the admission token handed over
   * @param handOff - whether the form was revealed in place or the visitor was redirected
   */
  constructor(
    readonly admission: string,
    readonly handOff: AdmissionHandOff,
  ) {
    super(QueueGateAdmittedEvent.eventName, OPTIONS);
  }
}

/**
 * Fired when the journey ends in this page: a booking sent with `gate.fetch` succeeded, the page
 * called `gate.complete()`, or the server said the place was already used to book. Not fired
 * when a reload merely finds the finished journey remembered (`status` is then `booked` from
 * the start, and `queue-gate-change` says so).
 */
export class QueueGateBookedEvent extends Event {
  /** The event's type name. */
  static readonly eventName = 'queue-gate-booked' as const;

  /**
   * @param outcome - `booked` when the booking succeeded, `already-used` when the place had
   * been used to book before (another tab, a form sent twice)
   */
  constructor(readonly outcome: BookingOutcome) {
    super(QueueGateBookedEvent.eventName, OPTIONS);
  }
}

/**
 * Fired when something needs the visitor's action: the ticket was rejected (the server's code),
 * or the admission expired before the form was sent (`admission_expired`). Network trouble is not an error event: it is the
 * `reconnecting` status, because it resolves itself and a stream of events would only be noise.
 */
export class QueueGateErrorEvent extends Event {
  /** The event's type name. */
  static readonly eventName = 'queue-gate-error' as const;

  /** @param problem - what went wrong, with a stable code */
  constructor(readonly problem: QueueProblem) {
    super(QueueGateErrorEvent.eventName, OPTIONS);
  }
}

declare global {
  interface HTMLElementEventMap {
    'queue-gate-change': QueueGateChangeEvent;
    'queue-gate-admit': QueueGateAdmitEvent;
    'queue-gate-admitted': QueueGateAdmittedEvent;
    'queue-gate-booked': QueueGateBookedEvent;
    'queue-gate-error': QueueGateErrorEvent;
  }
}
