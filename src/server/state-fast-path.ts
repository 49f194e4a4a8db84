/**
 * The state answer at the speed of bare `node:http`: `GET /rooms/:room/state` is the request a
 * waiting crowd makes most, and every visitor of a room gets the same bytes. The Hono route
 * (`routes/state.ts`) prepares each room's answer (body, ETag, headers) once per change and
 * records it here; until the event loop's next turn, further requests for that path are
 * answered straight from the socket's `request` event, before the adapter, the middlewares and
 * the store. So an answer is never older than one turn of the loop, and the first request of
 * each turn still goes the whole way (store read, room checks, errors).
 *
 * What the skipped layers would have done is already in the prepared answer or cannot apply:
 * the security and CORS headers (`*` on every state answer) are part of it, and an answer sent
 * at once never holds a slot of the per-client or in-flight limits.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One room's prepared answer. */
export interface PreparedState {
  body: Uint8Array;
  etag: string;
  ok: Readonly<Record<string, string>>;
  notModified: Readonly<Record<string, string>>;
}

/**
 * Runs `task` at the event loop's next turn: `setImmediate` in Node, a zero timeout where the
 * route runs in a browser (the mocks), which has no listener to answer from anyway.
 */
const nextTurn: (task: () => void) => void =
  typeof setImmediate === 'function' ? (task) => setImmediate(task) : (task) => setTimeout(task, 0);

/** Prepared answers of one app, by request path; emptied at every turn of the event loop. */
export class PreparedStates {
  private readonly byPath = new Map<string, PreparedState>();
  private clearing = false;

  /** Keeps `prepared` as the answer to `path` until the event loop's next turn. */
  record(path: string, prepared: PreparedState): void {
    this.byPath.set(path, prepared);
    if (this.clearing) return;
    this.clearing = true;
    nextTurn(() => {
      this.byPath.clear();
      this.clearing = false;
    });
  }

  /**
   * Answers `request` from a prepared state when there is one for its path.
   *
   * @returns whether it answered (else the request goes on to the app)
   */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET' || request.url === undefined) return false;
    const prepared = this.byPath.get(request.url);
    if (!prepared) return false;
    if (matchesEtag(request.headers['if-none-match'], prepared.etag)) {
      response.writeHead(304, prepared.notModified);
      response.end();
    } else {
      response.writeHead(200, prepared.ok);
      response.end(prepared.body);
    }
    return true;
  }
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes do not matter. */
const opaqueTag = (tag: string): string => tag.trim().replace(/^W\//, '');

/**
 * Whether an `If-None-Match` value matches `etag`.
 *
 * @example
 * ```ts
 * matchesEtag('W/"abc", "def"', 'W/"abc"'); // true
 * ```
 */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  return (
    header !== undefined &&
    header.split(',').some((tag) => tag.trim() === '*' || opaqueTag(tag) === opaqueTag(etag))
  );
}

const registry = new WeakMap<object, PreparedStates>();

/**
 * The prepared answers of `owner` (the queue service the app and the listener share).
 *
 * @example
 * ```ts
 * preferPreparedState(server, preparedStatesOf(service));
 * ```
 */
export function preparedStatesOf(owner: object): PreparedStates {
  let states = registry.get(owner);
  if (!states) {
    states = new PreparedStates();
    registry.set(owner, states);
  }
  return states;
}

/**
 * Puts `states` in front of `server`'s request listeners: a prepared state is sent at once,
 * any other request reaches them as before.
 */
export function preferPreparedState(server: Server, states: PreparedStates): void {
  const listeners = server.listeners('request') as Array<
    (request: IncomingMessage, response: ServerResponse) => void
  >;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (states.answer(request, response)) return;
    for (const listener of listeners) listener.call(server, request, response);
  });
}
