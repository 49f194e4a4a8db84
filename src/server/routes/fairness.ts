/**
 * `GET /rooms/:room/fairness`: the public fairness record (see `fairness-recorder.ts`).
 *
 * Why cacheable: it is the same for everybody and journalists may poll it; a CDN absorbs that.
 * A few seconds of staleness hide nothing, since every snapshot in it is signed and timed.
 */
import type { Hono } from 'hono';
import { roomParam } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';
import { secureResponse } from '../security-headers.js';

/** `Cache-Control` of fairness answers. */
export const FAIRNESS_CACHE_CONTROL = 'public, max-age=5, s-maxage=5, stale-while-revalidate=30';

/** Public data: any site (a newsroom's page) may read it, also through a shared cache. */
const FAIRNESS_HEADERS = {
  'Cache-Control': FAIRNESS_CACHE_CONTROL,
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
} as const;

/** Registers the fairness route. */
export function registerFairnessRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  app.get('/rooms/:room/fairness', async (c) => {
    const room = roomParam(c);
    const record = await service.fairness(room);
    c.set('room', room);
    const headers = { ...FAIRNESS_HEADERS, ETag: record.etag };
    if (c.req.header('If-None-Match')?.replace(/^W\//, '') === record.etag.replace(/^W\//, '')) {
      return secureResponse(null, { status: 304, headers });
    }
    return secureResponse(record.body, {
      status: 200,
      headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    });
  });
}
