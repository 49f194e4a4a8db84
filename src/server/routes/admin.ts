/**
 * The admin API (bearer-protected): create or configure a room, read its live figures, move
 * the line by hand, pause, resume, close; supply a draw's beacon value; rotate the signing keys.
 */
import type { Hono } from 'hono';
import { ApiError } from '../api-error.js';
import { adminAuth } from '../admin-auth.js';
import { jsonNoStore, roomParam } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';
import { readRequestJson } from '../request-body.js';

/**
 * Largest admin body: room settings may list 100 cohorts and 50 origins of 256 characters,
 * more than the visitors' `LIMITS.maxBodyBytes`; only a holder of the admin token gets here.
 */
export const ADMIN_MAX_BODY_BYTES = 64 * 1024;

/** Registers the admin routes behind {@link adminAuth}. */
export function registerAdminRoutes(
  app: Hono<QueueAppEnv>,
  service: QueueService,
  adminToken: string,
): void {
  app.use('/admin/*', adminAuth(adminToken));

  app.put('/admin/rooms/:room', async (c) => {
    const room = roomParam(c);
    const body = await readRequestJson(c, ADMIN_MAX_BODY_BYTES);
    const { stats, created } = await service.putRoom(room, body);
    c.set('room', room);
    return jsonNoStore(stats, created ? 201 : 200);
  });

  app.get('/admin/rooms/:room', async (c) => jsonNoStore(await service.stats(roomParam(c))));

  app.post('/admin/rooms/:room/advance', async (c) => {
    const room = roomParam(c);
    await service.room(room); // a missing room costs no body read
    c.set('room', room);
    const body = await readRequestJson(c);
    const by = body.by ?? 1;
    if (typeof by !== 'number') throw new ApiError(400, 'invalid_body', '"by" must be a number.');
    return jsonNoStore(await service.advance(room, by));
  });

  const statusRoute = (action: string, status: 'paused' | 'open' | 'closed') =>
    app.post(`/admin/rooms/:room/${action}`, async (c) => {
      const room = roomParam(c);
      await service.room(room);
      c.set('room', room);
      return jsonNoStore(await service.setStatus(room, status));
    });
  statusRoute('pause', 'paused');
  statusRoute('resume', 'open');
  statusRoute('close', 'closed');

  // The value of the beacon round the room's draw is bound to (see `service/beacon.ts`).
  app.post('/admin/rooms/:room/beacon', async (c) => {
    const room = roomParam(c);
    await service.room(room);
    c.set('room', room);
    return jsonNoStore(await service.supplyBeacon(room, await readRequestJson(c)));
  });

  // The answer is the new public key set: its `current` and `next` say what changed.
  app.post('/admin/keys/rotate', async () => jsonNoStore(await service.rotateKeys()));
}
