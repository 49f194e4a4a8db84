/** The admin API and a bare visitor, called from Node: how the journeys set up and move a line. */
import assert from 'node:assert/strict';

/** What `GET /admin/rooms/:room` answers (the fields the journeys read). */
export interface RoomFigures {
  serving: number;
  issued: number;
  status: string;
}

/** Admin calls against one server. */
export interface AdminClient {
  /**
   * Creates a room whose line moves only when the test calls {@link AdminClient.advance}
   * (`admitPerMinute: 0`), polled at the fastest allowed pace so journeys stay short.
   */
  createStillRoom(room: string): Promise<void>;
  /** Puts room settings (`PUT /admin/rooms/:room`, merged over the room's current ones). */
  configure(room: string, settings: Record<string, unknown>): Promise<void>;
  /** Moves `serving` forward by `by` places. */
  advance(room: string, by?: number): Promise<RoomFigures>;
  /** The room's live figures. */
  figures(room: string): Promise<RoomFigures>;
  /** Takes a place from Node, as a visitor without a browser would; returns its seq. */
  joinFromNode(room: string): Promise<number>;
}

/**
 * An {@link AdminClient} for the server at `url` (read at each call, so it follows a restart).
 *
 * @example
 * ```ts
 * const admin = createAdminClient(() => server.url, adminToken);
 * await admin.createStillRoom('r1');
 * await admin.advance('r1', 1);
 * ```
 */
export function createAdminClient(url: () => string, adminToken: string): AdminClient {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    asAdmin = true,
  ): Promise<unknown> => {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(asAdmin ? { Authorization: `Bearer ${adminToken}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  };
  const room = (name: string) => `/admin/rooms/${encodeURIComponent(name)}`;
  return {
    async createStillRoom(name) {
      await call('PUT', room(name), { admitPerMinute: 0, pollAfterMs: 1000 });
    },
    async configure(name, settings) {
      await call('PUT', room(name), settings);
    },
    async advance(name, by = 1) {
      return (await call('POST', `${room(name)}/advance`, { by })) as RoomFigures;
    },
    async figures(name) {
      return (await call('GET', room(name))) as RoomFigures;
    },
    async joinFromNode(name) {
      const joined = (await call('POST', `/rooms/${encodeURIComponent(name)}/join`, {}, false)) as {
        seq: number;
      };
      return joined.seq;
    },
  };
}
