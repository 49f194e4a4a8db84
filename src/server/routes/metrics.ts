/** `GET /metrics`: Prometheus text. */
import type { Hono } from 'hono';
import { PATHS } from '../../protocol.js';
import type { QueueAppEnv } from '../app-env.js';
import { renderMetrics } from '../metrics.js';
import type { QueueService } from '../queue-service.js';
import { secureResponse } from '../security-headers.js';

/** Registers the metrics route. */
export function registerMetricsRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  app.get(PATHS.metrics, async () => {
    const text = renderMetrics(await service.gauges(), await service.store.readCounters());
    return secureResponse(text, {
      headers: {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Cache-Control': 'no-store',
      },
    });
  });
}
