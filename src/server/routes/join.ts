/** `POST /rooms/:room/join`: a new place, or the same place again for a still-valid ticket. */
import type { Context, Hono } from 'hono';
import { ApiError } from '../api-error.js';
import { jsonNoStore, roomParam } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';
import { readRequestJson } from '../request-body.js';

/**
 * Registers the join route.
 *
 * @param beforeNewPlace - called before a new place is handed out (not for a rejoin with a
 *   ticket); throws to refuse, e.g. the per-client rate limit or the join challenge
 */
export function registerJoinRoute(
  app: Hono<QueueAppEnv>,
  service: QueueService,
  beforeNewPlace?: (c: Context<QueueAppEnv>, room: string) => void | Promise<void>,
): void {
  app.post('/rooms/:room/join', async (c) => {
    const room = roomParam(c);
    // Read once here (a missing room costs no body read or proof check) and handed on.
    const target = await service.room(room);
    c.set('room', room);
    const body = await readRequestJson(c);
    const ticket = body.ticket;
    if (ticket !== undefined && typeof ticket !== 'string') {
      throw new ApiError(400, 'invalid_body', '"ticket" must be a string when given.');
    }
    const cohort = body.cohort;
    if (cohort !== undefined && (typeof cohort !== 'string' || cohort.length > 64)) {
      throw new ApiError(400, 'invalid_body', '"cohort" must be a short string when given.');
    }
    const identity = body.identity;
    if (identity !== undefined && typeof identity !== 'string') {
      throw new ApiError(400, 'invalid_body', '"identity" must be a string (a signed assertion).');
    }
    if (ticket === undefined) await beforeNewPlace?.(c, room);
    return jsonNoStore(await target.join(ticket, cohort, identity));
  });
}
