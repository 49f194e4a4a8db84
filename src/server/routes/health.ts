/** `GET /healthz`: whether the process can read its store. */
import type { Hono } from 'hono';
import { PATHS } from '../../protocol.js';
import { jsonNoStore } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';

/** Registers the health route. */
export function registerHealthRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  app.get(PATHS.health, async () => jsonNoStore(await service.health()));
}
