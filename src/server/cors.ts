/**
 * CORS for the room endpoints, from each room's `allowedOrigins`.
 *
 * Why per room: join and admit hand out signed places and admissions, so only the site that
 * embeds the room may call them from a browser. The state answer is public and identical for
 * everyone (a CDN serves it), so any origin may read it.
 */
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './api-error.js';
import { requestHeader } from './app-env.js';
import { secureResponse } from './security-headers.js';

/** Looks up a room's allowed origins; null when the room does not exist. */
export type AllowedOriginsLookup = (room: string) => Promise<string[] | null>;

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type, If-None-Match, Queue-Gate-Proof';
const EXPOSE_HEADERS = 'ETag, Retry-After, Queue-Gate-Challenge';

/**
 * Hono middleware for `/rooms/:room/*`: answers preflights and adds the CORS headers, or refuses
 * a browser request from an origin the room does not allow (403 `origin_not_allowed`).
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
    if (isPublicState && !preflight) {
      // The state route sends `*` on every answer itself; only errors need it added here.
      await next();
      if (c.res.status >= 400) {
        c.res.headers.set('Access-Control-Allow-Origin', '*');
        c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
      }
      return;
    }
    const room = c.req.param('room') ?? '';
    let allowOrigin: string | null = null;
    if (isPublicState) {
      allowOrigin = '*';
    } else if (origin === new URL(c.req.url).origin) {
      allowOrigin = origin;
    } else {
      const allowed = await lookup(room);
      if (allowed === null) return next();
      if (allowed.includes('*') || allowed.includes(origin)) allowOrigin = origin;
    }
    if (allowOrigin === null) {
      return errorResponse(403, 'origin_not_allowed', 'This origin may not call this room.', {
        Vary: 'Origin',
      });
    }
    if (preflight) {
      return secureResponse(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': allowOrigin,
          'Access-Control-Allow-Methods': ALLOW_METHODS,
          'Access-Control-Allow-Headers': ALLOW_HEADERS,
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        },
      });
    }
    await next();
    // Set on the response's own headers: `c.header()` would copy the whole response.
    const headers = c.res.headers;
    headers.set('Access-Control-Allow-Origin', allowOrigin);
    headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    if (allowOrigin !== '*') headers.append('Vary', 'Origin');
  };
}
