/**
 * Response builders for the answers the simulator makes up itself (injected faults, refused
 * tickets), so that they carry the error shape and headers the real server would send.
 */
import type { ErrorCode, ErrorResponse } from '../protocol.js';

/**
 * Headers on every answer. CORS is open because the demo and users' tests may point the client
 * at a queue origin other than the page's; the exposed headers are the ones clients read.
 */
const COMMON_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Retry-After',
};

/**
 * @param status - HTTP status
 * @param body - serialised as JSON
 * @param headers - extra headers
 * @returns a JSON response with the simulator's common headers
 */
function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...COMMON_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
}

/**
 * @param status - HTTP status
 * @param code - the protocol's stable error code
 * @param message - a human-readable explanation
 * @param headers - extra headers (e.g. `Retry-After`)
 * @returns `{ error: { code, message } }` with `status`
 */
export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: ErrorResponse = { error: { code, message } };
  return jsonResponse(status, body, headers);
}

/**
 * The error code a real server would most likely pair with a bare HTTP status, for faults that
 * name only the status.
 *
 * @param status - an HTTP error status
 * @returns a plausible protocol error code
 */
export function defaultCodeFor(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'invalid_body';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'body_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'overloaded';
    default:
      return status >= 500 ? 'internal' : 'invalid_body';
  }
}
