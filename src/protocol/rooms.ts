/**
 * Rooms and where to reach them: the protocol version, room statuses, room ids and the paths
 * of the public endpoints.
 */

/** Version of the wire protocol; bumped only on incompatible changes. */
export const PROTOCOL_VERSION = 1;

/** Whether a room lets its line move. */
export type RoomStatus = 'open' | 'paused' | 'closed';

/** All room statuses, for validation. */
export const ROOM_STATUSES: readonly RoomStatus[] = ['open', 'paused', 'closed'];

/**
 * Whether a room binds places to a site's signed-in identity: `required` refuses a join
 * without one, `optional` binds the place when the visitor brings one. Absent when the room
 * has no identity configured.
 */
export type RoomIdentityMode = 'required' | 'optional';

/**
 * Room ids: 1–64 characters of letters, digits, `-` and `_`, starting with a letter or digit.
 * Kept narrow so a room id is always safe in a URL path, a storage key, a metric label and a
 * Redis key without escaping.
 */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** @returns whether `room` is a well-formed room id. */
export function isValidRoomId(room: unknown): room is string {
  return typeof room === 'string' && ROOM_ID_PATTERN.test(room);
}

/** Paths of the public endpoints, relative to the queue server's origin (or base URL). */
export const PATHS = {
  join: (room: string) => `/rooms/${encodeURIComponent(room)}/join`,
  state: (room: string) => `/rooms/${encodeURIComponent(room)}/state`,
  admit: (room: string) => `/rooms/${encodeURIComponent(room)}/admit`,
  /** Public fairness record of a room (a `FairnessRecord`). */
  fairness: (room: string) => `/rooms/${encodeURIComponent(room)}/fairness`,
  jwks: '/.well-known/jwks.json',
  health: '/healthz',
  metrics: '/metrics',
} as const;
