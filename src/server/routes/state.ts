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
import { matchesEtag, preparedStatesOf, type PreparedState } from '../state-fast-path.js';

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

/**
 * Registers the state route. Its answers are also recorded for the listener's fast path
 * (`state-fast-path.ts`), which serves the same bytes until the event loop's next turn.
 */
export function registerStateRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  // Built once per serialized state (the service hands out the same snapshot object until the
  // line changes), so a request copies no headers at all.
  const built = new WeakMap<StateSnapshot, PreparedState>();
  const prepared = preparedStatesOf(service);
  const prepare = (snapshot: StateSnapshot): PreparedState => {
    let answer = built.get(snapshot);
    if (!answer) {
      // Bytes, not a Buffer: the mocks run this route in the browser.
      const body = new TextEncoder().encode(snapshot.body);
      answer = {
        body,
        etag: snapshot.etag,
        ok: Object.freeze({
          ...STATE_HEADERS,
          ETag: snapshot.etag,
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(body.byteLength),
        }),
        notModified: Object.freeze({ ...STATE_HEADERS, ETag: snapshot.etag }),
      };
      built.set(snapshot, answer);
    }
    return answer;
  };
  app.get('/rooms/:room/state', async (c) => {
    const room = roomParam(c);
    const snapshot = await service.state(room);
    c.set('room', room);
    const answer = prepare(snapshot);
    // Only the exact path: a query string (a cache buster) is answered here every time.
    const url = c.req.url;
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    if (!path.includes('?')) prepared.record(path, answer);
    if (matchesEtag(requestHeader(c, 'if-none-match'), snapshot.etag)) {
      return presecuredResponse(null, 304, answer.notModified);
    }
    return presecuredResponse(snapshot.body, 200, answer.ok);
  });
}
