/**
 * Whether a reconnecting visitor should hear "the waiting room is busy" rather than "connection
 * lost". An overloaded or rate-limiting server did answer, and said when to come back: telling
 * the visitor their connection failed would send them checking their Wi-Fi or reloading, which
 * only adds to the crowd.
 */
import type { QueueProblem } from '../core/types.js';

const BUSY_CODES: ReadonlySet<QueueProblem['code']> = new Set(['overloaded', 'rate_limited']);

/**
 * @param problem - the snapshot's transient problem
 * @returns whether the server asked the client to slow down
 * @example
 * ```ts
 * isServerBusy({ code: 'overloaded', message: 'Try again in 30 s.' }); // true
 * ```
 */
export function isServerBusy(problem: QueueProblem | null): boolean {
  return problem !== null && BUSY_CODES.has(problem.code);
}

const MISSING_ROOM_CODES: ReadonlySet<QueueProblem['code']> = new Set([
  'room_not_found',
  'invalid_room_id',
]);

/**
 * Whether the server answered that this room does not exist (or cannot, by its id): a setup
 * mistake of the page, not the visitor's connection. The engine keeps asking slowly, so a room
 * an operator creates a moment later still works without a reload.
 *
 * @param problem - the snapshot's transient problem
 * @returns whether the page names a room the queue server does not have
 */
export function isRoomMissing(problem: QueueProblem | null): boolean {
  return problem !== null && MISSING_ROOM_CODES.has(problem.code);
}

/**
 * Whether the server refused this page's origin (the room's `allowedOrigins` does not list it):
 * a setup mistake like a missing room. The refusal asks the engine to wait a minute between
 * attempts, so a page fixed by the operator later still gets in without a reload.
 *
 * @param problem - the snapshot's transient problem
 * @returns whether the page is not set up for this waiting room
 */
export function isOriginRefused(problem: QueueProblem | null): boolean {
  return problem?.code === 'origin_not_allowed';
}

/** Whether the problem is a setup mistake of the page (missing room, origin not allowed). */
export function isSetupMistake(problem: QueueProblem | null): boolean {
  return isRoomMissing(problem) || isOriginRefused(problem);
}
