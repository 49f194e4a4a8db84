/**
 * CORS for the room endpoints, from each room's `allowedOrigins`.
 *
 * Why per room: join and admit hand out signed places and admissions, so only the site that
 * embeds the room may call them from a browser. The state answer is public and identical for
 * everyone (a CDN serves it), so any origin may read it.
 *
 * Why every preflight is answered: a page on an origin the room does not allow (or naming a room
 * that does not exist) is a setup mistake, and its developer must be able to read why. If the
 * preflight failed, the browser would only report a network error and the element would wait
 * for a connection that never comes. So the preflight lets the request be sent, and the request
 * itself is refused here, before any route runs, with CORS headers on the refusal only. What
 * that origin can read is the error code and nothing else: no place, ticket or admission is
 * ever handed to it, no credentials are allowed, and it could already make the server refuse
 * a "simple" request before.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from './api-error.js';
import { requestHeader } from './app-env.js';
import { secureResponse } from './security-headers.js';

/** Looks up a room's allowed origins; null when the room does not exist. */
export type AllowedOriginsLookup = (room: string) => Promise<string[] | null>;

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type, If-None-Match, Queue-Gate-Proof';
const EXPOSE_HEADERS = 'ETag, Retry-After, Queue-Gate-Challenge';
/**
 * How long a page on a refused origin should wait before asking again, in seconds: the fix is
 * a change of the room's settings, which takes minutes, not a retry.
 */
const REFUSED_ORIGIN_RETRY_SEC = '60';

/** Whether the room lets `origin` call it: yes, no, or unknown because there is no such room. */
type OriginAccess = 'allowed' | 'refused' | 'no-room';

async function originAccess(
  c: Context,
  origin: string,
  lookup: AllowedOriginsLookup,
): Promise<OriginAccess> {
  if (origin === new URL(c.req.url).origin) return 'allowed';
  const allowed = await lookup(c.req.param('room') ?? '');
  if (allowed === null) return 'no-room';
  return allowed.includes('*') || allowed.includes(origin) ? 'allowed' : 'refused';
}

/** Adds the headers that let `allowOrigin` read the answer `c.res`. */
function exposeAnswer(c: Context, allowOrigin: string): void {
  // Set on the response's own headers: `c.header()` would copy the whole response.
  const headers = c.res.headers;
  headers.set('Access-Control-Allow-Origin', allowOrigin);
  headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  if (allowOrigin !== '*') headers.append('Vary', 'Origin');
}

/**
 * Hono middleware for `/rooms/:room/*`: answers preflights and adds the CORS headers, or refuses
 * a browser request from an origin the room does not allow with a readable
 * `403 origin_not_allowed` (and lets the page read `404 room_not_found` for a missing room).
 *
 * @example
 * ```ts
 * app.use('/rooms/:room/*', roomCors(async (room) => (await store.getRoom(room))?.config.allowedOrigins ?? null));
 * ```
 */
export function roomCors(lookup: AllowedOriginsLookup): MiddlewareHandler {
  return async function roomCorsMiddleware(c, next) {
    const origin = requestHeader(c, 'origin');
    const preflight = c.req.method === 'OPTIONS';
    if (!origin) {
      if (preflight) return secureResponse(null, { status: 204, headers: {} });
      return next();
    }
    const isPublicState = c.req.path.endsWith('/state');
    if (preflight) {
      // Answered without looking the room up: the request it allows is checked on arrival.
      return secureResponse(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': isPublicState ? '*' : origin,
          'Access-Control-Allow-Methods': ALLOW_METHODS,
          'Access-Control-Allow-Headers': ALLOW_HEADERS,
          'Access-Control-Max-Age': '600',
          ...(isPublicState ? {} : { Vary: 'Origin' }),
        },
      });
    }
    if (isPublicState) {
      // The state route sends `*` on every answer itself; only errors need it added here.
      await next();
      if (c.res.status >= 400) exposeAnswer(c, '*');
      return;
    }
    const access = await originAccess(c, origin, lookup);
    if (access === 'refused') {
      return errorResponse(403, 'origin_not_allowed', 'This origin may not call this room.', {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': EXPOSE_HEADERS,
        'Retry-After': REFUSED_ORIGIN_RETRY_SEC,
        Vary: 'Origin',
      });
    }
    await next();
    // With no room, only a refusal (`room_not_found`) is readable: should the room appear
    // between the lookup and the route, its answer stays unreadable to an origin never allowed.
    if (access === 'allowed' || c.res.status >= 400) exposeAnswer(c, origin);
    else c.res.headers.append('Vary', 'Origin');
  };
}
