/**
 * What the element emits when the core's snapshot changes: its events (`queue-gate-change`,
 * `-error`, `-booked`), the background-tab nudge, and whether a fresh admission must be handed
 * off.
 */
import type { QueueSnapshot } from '../core/types.js';
import { QueueGateBookedEvent, QueueGateChangeEvent, QueueGateErrorEvent } from './events.js';
import type { Localizer } from './localize.js';
import { isSetupMistake } from './server-busy.js';
import type { TitleNudge } from './title-nudge.js';

/** The element as the reactions see it. */
export interface ReactionHost {
  readonly notify: boolean;
  readonly titleNudge: TitleNudge;
  /**
   * Setup mistakes (`room_not_found`, `origin_not_allowed`) already reported, kept by the
   * element: a timeout between two refusals must not make the page hear of the same one twice.
   */
  readonly reportedSetupCodes: Set<string>;
  emit(event: Event): boolean;
}

/** An admission the element must hand off. */
export interface PendingHandOff {
  admission: string;
  expiresAt: number | null;
}

/**
 * Emits the events that `next` calls for and nudges a background tab when the turn came.
 *
 * @returns the admission to hand off, when `next` brings a fresh one; else null
 * @example
 * ```ts
 * const handOff = emitSnapshotEvents(host, next, previous, localizer);
 * ```
 */
export function emitSnapshotEvents(
  host: ReactionHost,
  next: QueueSnapshot,
  previous: QueueSnapshot | null,
  l: Localizer,
): PendingHandOff | null {
  const before = previous?.status ?? 'idle';
  if (next.status !== before) {
    host.emit(new QueueGateChangeEvent(next.status, before, next));
  }
  const turnCame = next.status === 'admitting' || next.status === 'admitted';
  if (turnCame && before !== 'admitting' && before !== 'admitted') {
    host.titleNudge.turnArrived(l.t.titleTurn, l.t.notifyBody, host.notify);
  }
  if (next.status === 'rejected' && before !== 'rejected' && next.rejection) {
    host.emit(new QueueGateErrorEvent(next.rejection));
  }
  // The site must hear of it (to open its sign-in, say); once, like any other error.
  if (next.status === 'sign-in-required' && before !== 'sign-in-required' && next.problem) {
    host.emit(new QueueGateErrorEvent(next.problem));
  }
  if (next.status === 'booked' && before !== 'booked' && next.booking?.restored === false) {
    host.emit(new QueueGateBookedEvent(next.booking.outcome));
  }
  // A page naming a room the server lacks, or on an origin the room does not allow, is a setup
  // mistake its developer must hear of, once.
  if (next.problem && isSetupMistake(next.problem)) {
    if (!host.reportedSetupCodes.has(next.problem.code)) {
      host.reportedSetupCodes.add(next.problem.code);
      host.emit(new QueueGateErrorEvent(next.problem));
    }
  } else if (next.problem === null && next.status !== 'joining') {
    // The server answered: a mistake made again later is news again.
    host.reportedSetupCodes.clear();
  }
  const freshAdmission =
    next.status === 'admitted' &&
    next.admission !== null &&
    (before !== 'admitted' || previous?.admission !== next.admission);
  return freshAdmission
    ? { admission: next.admission as string, expiresAt: next.admissionExpiresAt }
    : null;
}

/** The `queue-gate-error` of an admission that ran out before the form was sent. */
export function admissionExpiredEvent(): QueueGateErrorEvent {
  return new QueueGateErrorEvent({
    code: 'admission_expired',
    message: 'The admission expired before the form was sent.',
  });
}
