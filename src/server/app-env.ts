/**
 * Hono environment and helpers shared by the routes: the room a request is about (set once
 * the room is known to exist, so metrics label only real rooms, never attacker-made names).
 */
import type { Context } from 'hono';
import { isValidRoomId } from '../protocol.js';
import { ApiError } from './api-error.js';
import { secureResponse } from './security-headers.js';

/** Hono environment of the queue app. */
export interface QueueAppEnv {
  Variables: {
    /** The existing room this request is about, for metric labels. */
    room?: string;
    /**
     * Awaits something only the client can finish (its body), without counting the wait as
     * work in progress; set by the overload guard.
     */
    awaitClient?: <T>(waiting: Promise<T>) => Promise<T>;
  };
}

/**
 * Checks a room id from the path or query.
 *
 * @throws ApiError 400 `invalid_room_id`
 */
export function checkRoomId(room: string | undefined): string {
  if (!isValidRoomId(room)) {
    throw new ApiError(
      400,
      'invalid_room_id',
      'Room ids are 1-64 letters, digits, "-" or "_", starting with a letter or digit.',
    );
  }
  return room;
}

/** What `@hono/node-server` passes as the env: the Node request behind the web `Request`. */
export interface NodeIncoming {
  headers: Record<string, string | string[] | undefined>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  readableEnded?: boolean;
  /** The whole body, when the Node server's request gate has already read it. */
  rawBody?: unknown;
}

/** The Node request behind `c`, when the app runs on `@hono/node-server`; else null. */
export function nodeIncoming(c: Context<QueueAppEnv>): NodeIncoming | null {
  const incoming = (c.env as { incoming?: Partial<NodeIncoming> } | undefined)?.incoming;
  return incoming && typeof incoming.on === 'function' && typeof incoming.headers === 'object'
    ? (incoming as NodeIncoming)
    : null;
}

/**
 * A request header (name in lower case). On Node it is read from the Node request itself:
 * the web `Headers` of `c.req` are built on first use, which costs more than a hot route like
 * `state` does in all.
 */
export function requestHeader(
  c: Context<QueueAppEnv>,
  name: Lowercase<string>,
): string | undefined {
  const incoming = nodeIncoming(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The `:room` path parameter, checked. */
export function roomParam(c: Context<QueueAppEnv>): string {
  return checkRoomId(c.req.param('room'));
}

/** Answers `body` as JSON that no cache keeps (everything but the public state). */
export function jsonNoStore(body: unknown, status: 200 | 201 = 200): Response {
  return secureResponse(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
