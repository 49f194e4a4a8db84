/**
 * Reads a request body the way the reference server does (same limits, same codes), so a
 * client bug in what it sends fails against the mock first.
 */
import { LIMITS } from '../protocol.js';
import { errorResponse } from './mock-responses.js';

/** A JSON object body, or the protocol's error answer for it. */
export type JsonBodyResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; response: Response };

/**
 * Reads a JSON object body. An empty body reads as `{}`; a non-empty one must be
 * `application/json` (or `+json`), at most `LIMITS.maxBodyBytes`, and a JSON object.
 *
 * @param request - the request to read (its body is consumed)
 * @returns the object, or a 413 `body_too_large` / 415 `unsupported_media_type` /
 *   400 `invalid_body` answer
 */
export async function readJsonBody(request: Request): Promise<JsonBodyResult> {
  const tooLarge = (): JsonBodyResult => ({
    ok: false,
    response: errorResponse(413, 'body_too_large', `At most ${LIMITS.maxBodyBytes} bytes.`),
  });
  if (Number(request.headers.get('Content-Length') ?? '0') > LIMITS.maxBodyBytes) {
    return tooLarge();
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > LIMITS.maxBodyBytes) return tooLarge();
  if (bytes.byteLength === 0) return { ok: true, value: {} };
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return {
      ok: false,
      response: errorResponse(415, 'unsupported_media_type', 'Send the body as application/json.'),
    };
  }
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
  } catch {
    // Not UTF-8 or not JSON: the same answer as a JSON value that is not an object.
  }
  return {
    ok: false,
    response: errorResponse(400, 'invalid_body', 'The body must be a JSON object.'),
  };
}
