/**
 * `GET /rooms/:room/state`: the same bytes for every visitor of a room.
 *
 * Why cacheable: a million visitors polling must not reach the origin a million times. A CDN
 * may serve this for a second and revalidate in the background for five; clients compute their
 * own position from it, so nothing per-visitor is lost.
 */
import type { Hono } from 'hono';
import { requestHeader, roomParam } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService, StateSnapshot } from '../queue-service.js';
import { API_SECURITY_HEADERS, presecuredResponse } from '../security-headers.js';

/** `Cache-Control` of state answers. */
export const STATE_CACHE_CONTROL = 'public, max-age=1, s-maxage=1, stale-while-revalidate=5';

/**
 * Headers every state answer carries, built once. CORS is always `*`, also for a request
 * without `Origin`: a CDN may cache that answer and serve it to a browser on another site.
 */
const STATE_HEADERS = {
  ...API_SECURITY_HEADERS,
  'Cache-Control': STATE_CACHE_CONTROL,
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Retry-After',
} as const;

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes do not matter. */
const opaqueTag = (tag: string): string => tag.trim().replace(/^W\//, '');
const matchesEtag = (header: string | undefined, etag: string): boolean =>
  header !== undefined &&
  header.split(',').some((tag) => tag.trim() === '*' || opaqueTag(tag) === opaqueTag(etag));

interface StateHeaders {
  ok: Readonly<Record<string, string>>;
  notModified: Readonly<Record<string, string>>;
}

/** Registers the state route. */
export function registerStateRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  // Built once per serialized state (the service hands out the same snapshot object until the
  // line changes), so a request copies no headers at all.
  const built = new WeakMap<StateSnapshot, StateHeaders>();
  const headersOf = (snapshot: StateSnapshot): StateHeaders => {
    let headers = built.get(snapshot);
    if (!headers) {
      headers = {
        ok: Object.freeze({
          ...STATE_HEADERS,
          ETag: snapshot.etag,
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(new TextEncoder().encode(snapshot.body).byteLength),
        }),
        notModified: Object.freeze({ ...STATE_HEADERS, ETag: snapshot.etag }),
      };
      built.set(snapshot, headers);
    }
    return headers;
  };
  app.get('/rooms/:room/state', async (c) => {
    const room = roomParam(c);
    const snapshot = await service.state(room);
    c.set('room', room);
    const headers = headersOf(snapshot);
    if (matchesEtag(requestHeader(c, 'if-none-match'), snapshot.etag)) {
      return presecuredResponse(null, 304, headers.notModified);
    }
    return presecuredResponse(snapshot.body, 200, headers.ok);
  });
}
