/**
 * `GET /metrics`: Prometheus text, behind a bearer token (the admin token, or a metrics token
 * a scraper can hold without being able to move lines): the series name every room and its
 * figures, which are the operator's business.
 */
import type { Hono } from 'hono';
import { PATHS } from '../../protocol.js';
import { bearerAuth } from '../admin-auth.js';
import type { QueueAppEnv } from '../app-env.js';
import { renderMetrics } from '../metrics.js';
import type { QueueService } from '../queue-service.js';
import { secureResponse } from '../security-headers.js';

/**
 * Registers the metrics route.
 *
 * @param tokens - bearer tokens that may read it (the admin token, and the metrics token if any)
 */
export function registerMetricsRoute(
  app: Hono<QueueAppEnv>,
  service: QueueService,
  tokens: readonly string[],
): void {
  app.use(
    PATHS.metrics,
    bearerAuth(tokens, {
      realm: 'queue-gate metrics',
      tokenName: tokens.length > 1 ? 'the metrics token' : 'the admin token',
    }),
  );
  app.get(PATHS.metrics, async () => {
    const text = renderMetrics(await service.gauges(), await service.counters());
    return secureResponse(text, {
      headers: {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Cache-Control': 'no-store',
      },
    });
  });
}
