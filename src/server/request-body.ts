/**
 * Reads a request body with a hard size limit, without trusting `Content-Length`: the stream is
 * counted as it arrives and reading stops at the limit, so a large body costs no memory.
 */
import { LIMITS } from '../protocol.js';
import { ApiError } from './api-error.js';

/** Reads the raw body, refusing more than `limit` bytes with `body_too_large` (413). */
export async function readBodyBytes(
  request: Request,
  limit: number = LIMITS.maxBodyBytes,
): Promise<Uint8Array> {
  // `Connection: close`, or Node would read and discard the rest of the body (hundreds of MB
  // if the client keeps sending) just to keep the connection for another request.
  const tooLarge = () =>
    new ApiError(413, 'body_too_large', `The body must be at most ${limit} bytes.`, {
      Connection: 'close',
    });
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads a JSON object body. An empty body reads as `{}`.
 *
 * @throws ApiError 413 `body_too_large`, 415 `unsupported_media_type`, 400 `invalid_body`
 */
export async function readJsonBody(
  request: Request,
  limit: number = LIMITS.maxBodyBytes,
): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(request, limit);
  if (bytes.byteLength === 0) return {};
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError(400, 'invalid_body', 'The body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, 'invalid_body', 'The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
