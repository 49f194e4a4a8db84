/** `POST /rooms/:room/admit` with `Authorization: Bearer <ticket>`: the admission, once it is the visitor's turn. */
import type { Hono } from 'hono';
import { bearerToken } from '../../verify/index.js';
import { jsonNoStore, roomParam } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';

/** Registers the admit route. */
export function registerAdmitRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  app.post('/rooms/:room/admit', async (c) => {
    const room = roomParam(c);
    const target = await service.room(room);
    c.set('room', room);
    const ticket = bearerToken(c.req.header('Authorization'));
    return jsonNoStore(await target.admit(ticket));
  });
}
