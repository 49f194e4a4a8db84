/** `GET /.well-known/jwks.json`: the public keys booking backends verify admissions with. */
import type { Hono } from 'hono';
import { PATHS } from '../../protocol.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';
import { secureResponse } from '../security-headers.js';

/** Registers the JWKS route. */
export function registerJwksRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  app.get(PATHS.jwks, () => {
    // Short cache: verifiers refetch on an unknown `kid` anyway, and a rotation shows up soon.
    return secureResponse(JSON.stringify(service.jwks()), {
      headers: {
        'Content-Type': 'application/jwk-set+json; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        'Access-Control-Allow-Origin': '*',
      },
    });
  });
}
