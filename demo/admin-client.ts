/**
 * The operator panel's door to the server's admin API (`/admin/rooms/:room...`, bearer token).
 * Every failure becomes an {@link AdminError} with the server's error code, so the panel can
 * say "wrong token" or "no such room" instead of a bare status number.
 */

/** A room's figures as `GET /admin/rooms/:room` answers (the fields the panel reads). */
export interface AdminRoomStats {
  room: string;
  status: 'open' | 'paused' | 'closed';
  serving: number;
  issued: number;
  waiting: number;
  active: number;
  pending: number;
  ratePerSec: number;
  claimsLastMinute: number;
  config: { admitPerMinute: number; [setting: string]: unknown };
}

/** An admin call that did not succeed. */
export class AdminError extends Error {
  /**
   * @param status - HTTP status (0 when the server could not be reached)
   * @param code - the server's error code, or `network` / `bad_response`
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Options of {@link createAdminClient}. */
export interface AdminClientOptions {
  room: string;
  /** The admin bearer token that `npm start` printed. */
  token: string;
  /** The server's origin or base URL; default '' (the page's own origin). */
  endpoint?: string;
  /** Injected fetch; default the page's. */
  fetch?: typeof fetch;
}

/** The admin operations on one room. */
export interface AdminClient {
  stats(): Promise<AdminRoomStats>;
  /** Creates the room, or changes its settings (e.g. `{ admitPerMinute: 120 }`). */
  configure(settings: Record<string, unknown>): Promise<AdminRoomStats>;
  advance(by: number): Promise<AdminRoomStats>;
  pause(): Promise<AdminRoomStats>;
  resume(): Promise<AdminRoomStats>;
  close(): Promise<AdminRoomStats>;
}

function isStats(value: unknown): value is AdminRoomStats {
  const v = value as Partial<AdminRoomStats> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.serving === 'number' &&
    typeof v.issued === 'number' &&
    typeof v.status === 'string'
  );
}

/**
 * Creates an admin client for one room.
 *
 * @example
 * ```ts
 * const admin = createAdminClient({ room: 'demo', token: sessionToken });
 * await admin.configure({ admitPerMinute: 120 });
 * const { serving, issued } = await admin.stats();
 * ```
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const base = `${(options.endpoint ?? '').replace(/\/+$/, '')}/admin/rooms/${encodeURIComponent(options.room)}`;

  async function call(method: string, path: string, body?: unknown): Promise<AdminRoomStats> {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        cache: 'no-store',
      });
    } catch {
      throw new AdminError(0, 'network', 'The server could not be reached.');
    }
    let json: unknown = null;
    try {
      json = await response.json();
    } catch {
      // Left null: reported below as a bad answer.
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new AdminError(
        response.status,
        typeof error?.code === 'string' ? error.code : 'http_error',
        typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
      );
    }
    if (!isStats(json)) {
      throw new AdminError(response.status, 'bad_response', 'The answer was not room figures.');
    }
    return json;
  }

  return {
    stats: () => call('GET', ''),
    configure: (settings) => call('PUT', '', settings),
    advance: (by) => call('POST', '/advance', { by }),
    pause: () => call('POST', '/pause'),
    resume: () => call('POST', '/resume'),
    close: () => call('POST', '/close'),
  };
}
