/**
 * Node-only: what a request passes before the app sees it. Two limits on clients that hold
 * the server without finishing their requests:
 *
 * - at most `maxPerClient` requests per client address whose body is still arriving; past
 *   that, any new request from the address gets an immediate `429 rate_limited` that closes
 *   the connection;
 * - the whole body within `bodyTimeoutMs` of the headers, else `408 body_timeout` and close.
 *
 * The body is read here, in full, before the app runs, so the app (and its overload guard,
 * which counts work in progress) only ever sees complete requests: thousands of bodies
 * trickling in from one address cost sockets and a few bytes each, never the server's
 * capacity to answer everyone else.
 *
 * Why only bodies still arriving count, not requests being worked on: that is the one way a
 * client holds a request open at will (slow headers never become a request: Node's header
 * timeout cuts them). Work is the overload guard's, and counting it per address would refuse
 * a busy proxy or a carrier NAT whose visitors' requests merely take a few milliseconds.
 */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../protocol.js';
import { errorResponse } from './api-error.js';
import type { ErrorStatus } from './api-error.js';

/** Options of {@link createRequestGate}. */
export interface RequestGateOptions {
  /** Most requests one client may have with a body still arriving; 0 for no cap. */
  maxPerClient: number;
  /** How long the whole body may take to arrive after the headers, in milliseconds. */
  bodyTimeoutMs: number;
  /**
   * Largest body taken for a request target (the path) and its request (its headers); larger
   * ones get 413 unread.
   */
  bodyLimit: (target: string, incoming: IncomingMessage) => number;
  /** The client a request comes from (see `clientAddress`); null when unknown (not capped). */
  clientOf: (incoming: IncomingMessage) => string | null;
  /** Seconds a client past its cap is told to wait (default 1). */
  retryAfterSeconds?: number;
  /** Told of each refusal, for the metrics. Must not throw. */
  onRefused?: (status: ErrorStatus, code: ErrorCode) => void;
}

/**
 * Runs `handle` (the app) for a request once the gate lets it through, or answers for it.
 * The body, when there is one, is on `incoming.rawBody` by then.
 */
export type RequestGate = (
  incoming: IncomingMessage,
  handle: () => Response | Promise<Response>,
) => Response | Promise<Response>;

/** The Node request once the gate has read its body (`@hono/node-server` reads `rawBody`). */
export interface GatedIncoming extends IncomingMessage {
  rawBody?: Buffer;
}

/**
 * Creates the gate.
 *
 * @example
 * ```ts
 * const gate = createRequestGate({
 *   maxPerClient: 64,
 *   bodyTimeoutMs: 5000,
 *   bodyLimit: () => 8192,
 *   clientOf: (incoming) => incoming.socket.remoteAddress ?? null,
 * });
 * serve({ fetch: (request, env) => gate(env.incoming, () => app.fetch(request, env)) });
 * ```
 */
export function createRequestGate(options: RequestGateOptions): RequestGate {
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const refused = (status: ErrorStatus, code: ErrorCode, message: string, retry = false) => {
    options.onRefused?.(status, code);
    // Closing is the point: the connection was held for nothing, and a client past its cap
    // must open a new one (and be counted again) to try again.
    return errorResponse(status, code, message, {
      Connection: 'close',
      ...(retry ? { 'Retry-After': retryAfter } : {}),
    });
  };
  // Requests per client whose body is still arriving; a client leaves the map with the last.
  const receiving = new Map<string, number>();
  const tooMany = () =>
    refused(
      429,
      'rate_limited',
      'Too many unfinished requests from this client; try again shortly.',
      true,
    );

  return function requestGate(incoming, handle) {
    const withBody = hasBody(incoming);
    // Nobody is sending a body most of the time: then a request without one costs no lookup.
    const client =
      options.maxPerClient > 0 && (withBody || receiving.size > 0)
        ? options.clientOf(incoming)
        : null;
    const open = client === null ? 0 : (receiving.get(client) ?? 0);
    if (client !== null && open >= options.maxPerClient) return tooMany();
    if (!withBody) return handle();
    if (client !== null) receiving.set(client, open + 1);
    const limit = options.bodyLimit(incoming.url ?? '/', incoming);
    return readWholeBody(incoming, limit, options.bodyTimeoutMs).then((body) => {
      if (client !== null) {
        const left = (receiving.get(client) ?? 1) - 1;
        if (left > 0) receiving.set(client, left);
        else receiving.delete(client);
      }
      if (body === 'too_large') {
        return refused(413, 'body_too_large', `The body must be at most ${limit} bytes.`);
      }
      if (body === 'late') {
        return refused(
          408,
          'body_timeout',
          `The request body must arrive within ${Math.ceil(options.bodyTimeoutMs / 1000)} s of its headers.`,
        );
      }
      (incoming as GatedIncoming).rawBody = body;
      return handle();
    });
  };
}

/** Whether the request carries a body (RFC 9112 §6.3: a length or a transfer coding). */
function hasBody(incoming: IncomingMessage): boolean {
  const length = incoming.headers['content-length'];
  return (
    incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * The whole body, or why not: `too_large` past `limit` (declared or counted as it arrives,
 * whatever `Content-Length` says), `late` when it is not all there within `timeoutMs` or the
 * connection ends first (the client left, or Node's own request timeout cut it).
 */
function readWholeBody(
  incoming: IncomingMessage,
  limit: number,
  timeoutMs: number,
): Promise<Buffer | 'too_large' | 'late'> {
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: Buffer | 'too_large' | 'late') => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
      // Nothing more is wanted from this body; the answer closes the connection.
      if (!Buffer.isBuffer(outcome)) incoming.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) finish('too_large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onGone = () => finish('late');
    const timer = setTimeout(onGone, timeoutMs);
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onGone);
    incoming.on('close', onGone);
  });
}
