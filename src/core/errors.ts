/**
 * How a request can fail, classified once in the transport so that the state machine decides
 * on kinds, never on exceptions or raw responses.
 */
import { TICKET_DISCARD_CODES } from '../protocol.js';
import type { ErrorCode } from '../protocol.js';
import type { QueueProblem } from './types.js';

/**
 * A failed request.
 * - `network`: no answer at all (offline, DNS, CORS, connection reset).
 * - `timeout`: no answer in time; the request was aborted.
 * - `http`: a non-2xx answer; `code` is the server's error code when its body had one.
 * - `bad_response`: a 2xx answer that is not the promised JSON shape (a captive portal, a proxy).
 * - `no-identity`: a join that needs the visitor's identity found none (not signed in), so it
 *   was not sent.
 */
export type TransportFailure =
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; message: string }
  | {
      kind: 'http';
      status: number;
      code: ErrorCode | null;
      message: string;
      /** From `Retry-After`, in milliseconds, when the server sent one. */
      retryAfterMs: number | null;
      /** With `cohort_not_open`: when the cohort opens (epoch ms, server clock). */
      opensAt?: number;
      /**
       * The refusal is about the identity assertion (`token: "identity"` in the body), never
       * the ticket: the ticket is kept whatever the code.
       */
      identity?: true;
    }
  | { kind: 'bad_response'; status: number; message: string }
  | { kind: 'no-identity'; message: string };

/** The result of one request: a validated body or a classified failure. Never throws. */
export type TransportResult<T> = { ok: true; value: T } | { ok: false; failure: TransportFailure };

/**
 * Whether the failure is the server declaring the ticket unusable. Only these discard a
 * ticket: a place in line is too costly to lose to a flaky network, a restart or a bad proxy.
 */
export function discardsTicket(failure: TransportFailure): boolean {
  return (
    failure.kind === 'http' &&
    !failure.identity &&
    failure.code !== null &&
    TICKET_DISCARD_CODES.includes(failure.code)
  );
}

/**
 * Whether the failure is about the visitor's identity: none was found, the room requires one
 * (`identity_required`), or the assertion was refused (`token: "identity"`). The ticket is kept.
 */
export function isIdentityFailure(failure: TransportFailure): boolean {
  return (
    failure.kind === 'no-identity' ||
    (failure.kind === 'http' && (failure.identity === true || failure.code === 'identity_required'))
  );
}

/**
 * The room status a failure reports (`room_closed`), if any. A paused room refuses nothing: it
 * answers `not_your_turn` to those not yet served, so only a closed room shows here.
 */
export function roomStatusOf(failure: TransportFailure): 'closed' | null {
  if (failure.kind !== 'http') return null;
  if (failure.code === 'room_closed') return 'closed';
  return null;
}

/** The problem a UI shows for a failure. */
export function toProblem(failure: TransportFailure): QueueProblem {
  switch (failure.kind) {
    case 'network':
    case 'timeout':
      return { code: failure.kind, message: failure.message };
    case 'bad_response':
      return { code: 'bad_response', message: failure.message };
    case 'no-identity':
      return { code: 'identity_required', message: failure.message };
    case 'http':
      return {
        code: failure.code ?? 'http_error',
        message: failure.message,
        ...(failure.opensAt !== undefined ? { opensAt: failure.opensAt } : {}),
      };
  }
}
