/**
 * Validation of every server answer. Bodies arrive as `unknown` and leave as protocol types or
 * `null`: a proxy, a captive portal or a half-deployed server must never put a `NaN` position
 * or an `undefined` ticket into the engine.
 */
import { LIMITS, ROOM_STATUSES } from '../protocol.js';
import type {
  AdmitResponse,
  ErrorCode,
  JoinResponse,
  RoomStatus,
  StateResponse,
} from '../protocol.js';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isNonNegative = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isToken = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= LIMITS.maxTokenLength;
const isRoomStatus = (value: unknown): value is RoomStatus =>
  typeof value === 'string' && (ROOM_STATUSES as readonly string[]).includes(value);

/** @returns the join answer, or null when `body` is not one. */
export function parseJoinResponse(body: unknown): JoinResponse | null {
  if (!isObject(body)) return null;
  const {
    ticket,
    seq,
    serving,
    position,
    ratePerSec,
    pollAfterMs,
    ticketExpiresAt,
    holdSeconds,
    status,
    serverTime,
    pre,
    opensAt,
    cohort,
  } = body;
  // A pre-open ticket has no place yet (seq 0) and says when the room opens.
  const preOpen = pre === true;
  if (
    (serverTime !== undefined && !isNonNegative(serverTime)) ||
    (pre !== undefined && pre !== true) ||
    (opensAt !== undefined && !isNonNegative(opensAt)) ||
    (preOpen && opensAt === undefined) ||
    (cohort !== undefined && (typeof cohort !== 'string' || cohort.length > 64)) ||
    !isToken(ticket) ||
    !isCount(seq) ||
    (preOpen ? seq !== 0 : seq < 1) ||
    !isCount(serving) ||
    !isCount(position) ||
    !isNonNegative(ratePerSec) ||
    !isNonNegative(pollAfterMs) ||
    !isNonNegative(ticketExpiresAt) ||
    !isNonNegative(holdSeconds) ||
    !isRoomStatus(status)
  ) {
    return null;
  }
  return {
    ticket,
    seq,
    serving,
    position,
    ratePerSec,
    pollAfterMs,
    ticketExpiresAt,
    holdSeconds,
    status,
    ...(serverTime !== undefined ? { serverTime } : {}),
    ...(preOpen ? { pre: true } : {}),
    ...(opensAt !== undefined ? { opensAt: opensAt as number } : {}),
    ...(typeof cohort === 'string' ? { cohort } : {}),
  };
}

/** @returns the state answer, or null when `body` is not one. */
export function parseStateResponse(body: unknown): StateResponse | null {
  if (!isObject(body)) return null;
  const { status, serving, issued, ratePerSec, pollAfterMs, opensAt, updatedAt } = body;
  if (
    !isRoomStatus(status) ||
    !isCount(serving) ||
    !isCount(issued) ||
    !isNonNegative(ratePerSec) ||
    !isNonNegative(pollAfterMs) ||
    !isNonNegative(updatedAt) ||
    (opensAt !== undefined && !isNonNegative(opensAt))
  ) {
    return null;
  }
  const state: StateResponse = { status, serving, issued, ratePerSec, pollAfterMs, updatedAt };
  if (opensAt !== undefined) state.opensAt = opensAt;
  return state;
}

/** @returns the admit answer, or null when `body` is not one. */
export function parseAdmitResponse(body: unknown): AdmitResponse | null {
  if (!isObject(body)) return null;
  const { admission, expiresAt, serverTime } = body;
  if (!isToken(admission) || !isNonNegative(expiresAt)) return null;
  if (serverTime !== undefined && !isNonNegative(serverTime)) return null;
  return { admission, expiresAt, ...(serverTime !== undefined ? { serverTime } : {}) };
}

/**
 * @returns the code and message of an error body (and whether it is about the identity
 * assertion), or null when `body` is not one. The code is passed on as sent (a newer server may know codes this client does not); only codes in the
 * protocol's lists have meaning to the engine.
 */
export function parseErrorResponse(
  body: unknown,
): { code: ErrorCode; message: string; opensAt?: number; identity?: true } | null {
  if (!isObject(body) || !isObject(body.error)) return null;
  const { code, message, opensAt, token } = body.error;
  if (typeof code !== 'string' || code.length === 0 || code.length > 64) return null;
  return {
    code: code as ErrorCode,
    message: typeof message === 'string' ? message.slice(0, 500) : '',
    ...(isNonNegative(opensAt) ? { opensAt } : {}),
    // About the identity assertion, not the ticket (see `discardsTicket`).
    ...(token === 'identity' ? { identity: true as const } : {}),
  };
}
