/**
 * The one error shape of the server: `{ error: { code, message } }` with the right status.
 * Messages are written for people and never contain tokens, secrets or request bodies.
 */
import type { ErrorCode, ErrorResponse } from '../protocol.js';
import { secureResponse } from './security-headers.js';

/** Optional fields an error body may carry besides `code` and `message`. */
export type ErrorDetails = Omit<ErrorResponse['error'], 'code' | 'message'>;

/** HTTP statuses the server answers errors with. */
export type ErrorStatus =
  400 | 401 | 403 | 404 | 405 | 408 | 409 | 410 | 413 | 415 | 429 | 500 | 503;

/**
 * An error that becomes a JSON answer; throw it from any route.
 *
 * @example
 * ```ts
 * throw new ApiError(404, 'room_not_found', `No room named ${room}.`);
 * ```
 */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  readonly code: ErrorCode;
  /** Extra headers, e.g. `Retry-After`. */
  readonly headers: Record<string, string>;
  /** Extra fields of the error body, e.g. `opensAt` of `cohort_not_open`. */
  readonly details: ErrorDetails;

  constructor(
    status: ErrorStatus,
    code: ErrorCode,
    message: string,
    headers: Record<string, string> = {},
    details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.details = details;
  }
}

/** The JSON answer for `code`. */
export function errorResponse(
  status: ErrorStatus,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  details: ErrorDetails = {},
): Response {
  const body: ErrorResponse = { error: { code, message, ...details } };
  return secureResponse(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
}

/** The JSON answer for an {@link ApiError}. */
export function apiErrorResponse(error: ApiError): Response {
  return errorResponse(error.status, error.code, error.message, error.headers, error.details);
}
