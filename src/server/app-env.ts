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
