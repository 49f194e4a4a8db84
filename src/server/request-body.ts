/**
 * Reads a request body with a hard size limit, without trusting `Content-Length`: the stream is
 * counted as it arrives and reading stops at the limit, so a large body costs no memory.
 *
 * A body that never arrives in full (the client left, or a timeout cut the connection) is the
 * client's doing, not a fault of the server: it is refused as `408 body_timeout`, counted
 * among rejections and never logged as an error.
 */
import type { Context } from 'hono';
import { LIMITS } from '../protocol.js';
import { ApiError } from './api-error.js';
import { nodeIncoming } from './app-env.js';
import type { NodeIncoming, QueueAppEnv } from './app-env.js';

/** Reads the raw body, refusing more than `limit` bytes with `body_too_large` (413). */
export async function readBodyBytes(
  request: Request,
  limit: number = LIMITS.maxBodyBytes,
): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      throw bodyIncomplete();
    });
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: when the request was cloned, cancelling this branch of the body settles
      // only once every other branch is cancelled or read, which is up to the clone's owner.
      reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
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
 * `413 body_too_large` with `Connection: close`, or Node would read and discard the rest of the
 * body (hundreds of MB if the client keeps sending) just to keep the connection for another
 * request.
 */
function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'body_too_large', `The body must be at most ${limit} bytes.`, {
    Connection: 'close',
  });
}

/** `408 body_timeout`: the connection ended (or was cut) before the body did. */
function bodyIncomplete(): ApiError {
  return new ApiError(408, 'body_timeout', 'The request body did not arrive in full.', {
    Connection: 'close',
  });
}

/**
 * Reads the body straight from the Node request: the web stream `@hono/node-server` would
 * otherwise build around it (a full `Request`, an abort controller, a stream adapter) cost
 * more than the rest of a join.
 */
function readIncomingBytes(incoming: NodeIncoming, limit: number): Promise<Uint8Array> {
  const declared = Number(incoming.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  // Already read in full by the Node server's request gate (see `request-gate.ts`).
  if (incoming.rawBody instanceof Uint8Array) {
    return incoming.rawBody.byteLength > limit
      ? Promise.reject(tooLarge(limit))
      : Promise.resolve(incoming.rawBody);
  }
  if (incoming.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = (error: unknown, body?: Uint8Array) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (body) resolve(body);
      else reject(error);
    };
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > limit) finish(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null, concat(chunks, size));
    const onError = () => finish(bodyIncomplete());
    const onClose = () => finish(bodyIncomplete());
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads the JSON object body of a route's request (straight from Node when the app runs there).
 * The wait for the client's bytes is not counted as work in progress by the overload guard.
 *
 * @throws ApiError 413 `body_too_large`, 415 `unsupported_media_type`, 400 `invalid_body`,
 *   408 `body_timeout`, 503 `overloaded` (when the server filled up while the body arrived)
 */
export async function readRequestJson(
  c: Context<QueueAppEnv>,
  limit: number = LIMITS.maxBodyBytes,
): Promise<Record<string, unknown>> {
  const incoming = nodeIncoming(c);
  const reading = incoming ? readIncomingBytes(incoming, limit) : readBodyBytes(c.req.raw, limit);
  const awaitClient = c.get('awaitClient');
  const bytes = await (awaitClient ? awaitClient(reading) : reading);
  const type = incoming ? incoming.headers['content-type'] : c.req.header('content-type');
  return parseJsonObject(bytes, typeof type === 'string' ? type : '');
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
  return parseJsonObject(bytes, request.headers.get('content-type') ?? '');
}

/** The JSON object in `bytes`, sent with `contentType`; `{}` when empty. */
function parseJsonObject(bytes: Uint8Array, contentType: string): Record<string, unknown> {
  if (bytes.byteLength === 0) return {};
  const type = contentType.split(';')[0]!.trim().toLowerCase();
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
