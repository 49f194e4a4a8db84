/**
 * The queue server as a Hono app. It uses only web-standard APIs (Request, Response, Web
 * Crypto, streams), so the same app runs on Node (see `node-server.ts`) or an edge runtime;
 * disks, sockets, timers and signals live elsewhere.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { PATHS } from '../protocol.js';
import { AdmissionError, TokenError } from '../verify/index.js';
import { ApiError, apiErrorResponse, errorResponse } from './api-error.js';
import type { QueueAppEnv } from './app-env.js';
import { bearerMatcher } from './admin-auth.js';
import { roomCors } from './cors.js';
import { requireJoinChallenge } from './join-challenge.js';
import type { JoinChallenge } from './join-challenge.js';
import type { JoinRateLimit } from './join-rate-limit.js';
import { overloadGuard } from './overload-guard.js';
import type { QueueService } from './queue-service.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAdmitRoute } from './routes/admit.js';
import { registerDemoBookRoute } from './routes/demo-book.js';
import { registerDemoIdentityRoutes } from './routes/demo-identity.js';
import { registerFairnessRoute } from './routes/fairness.js';
import { registerHealthRoute } from './routes/health.js';
import { registerJoinRoute } from './routes/join.js';
import { registerJwksRoute } from './routes/jwks.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerStateRoute } from './routes/state.js';
import { registerStaticRoutes } from './routes/static-pages.js';
import type { AssetSource } from './routes/static-pages.js';
import { secureResponse, securityHeaders } from './security-headers.js';
import { StoreUnavailableError } from './store/store-errors.js';

/** What {@link createQueueApp} needs. */
export interface QueueAppDeps {
  /** The queue's behaviour (see `createQueueService`). */
  service: QueueService;
  /** Bearer token of the admin API (at least 16 characters); it also reads `/metrics`. */
  adminToken: string;
  /**
   * A second bearer token that reads `/metrics` and nothing else (at least 16 characters), so
   * a scraper need not hold the admin token; absent: only the admin token reads them.
   */
  metricsToken?: string;
  /** Static pages and scripts; without it only the API is served. */
  assets?: AssetSource;
  /** Caps new places per client (off when absent); needs {@link QueueAppDeps.clientKey}. */
  joinRateLimit?: JoinRateLimit;
  /** Identifies the client of a request (e.g. its address); null when unknown (then not limited). */
  clientKey?: (c: Context<QueueAppEnv>) => string | null;
  /**
   * Asked before a new place is handed out (never for a rejoin with a ticket); off when absent.
   * See `createProofOfWorkChallenge` for a reference proof of work.
   */
  joinChallenge?: JoinChallenge;
  /** Most requests handled at once before answering `503 overloaded` (default 2048). */
  maxInFlight?: number;
  /** Where unexpected errors are reported (default `console.error`). Never receives secrets. */
  logError?: (message: string, error: unknown) => void;
}

/**
 * Paths that exist, with the methods they accept (for 405 answers). The admin paths and
 * `/metrics` are answered after their bearer check: without the token, a probe gets the same
 * 401 whatever the method, and learns nothing about which paths exist.
 */
const METHODS: Array<[path: string, allowed: string]> = [
  ['/rooms/:room/join', 'POST, OPTIONS'],
  ['/rooms/:room/state', 'GET, HEAD, OPTIONS'],
  ['/rooms/:room/admit', 'POST, OPTIONS'],
  ['/rooms/:room/fairness', 'GET, HEAD, OPTIONS'],
  [PATHS.jwks, 'GET, HEAD'],
  [PATHS.health, 'GET, HEAD'],
  [PATHS.metrics, 'GET, HEAD'],
  ['/admin/rooms/:room', 'GET, PUT'],
  ['/admin/rooms/:room/advance', 'POST'],
  ['/admin/rooms/:room/pause', 'POST'],
  ['/admin/rooms/:room/resume', 'POST'],
  ['/admin/rooms/:room/close', 'POST'],
  ['/admin/keys/rotate', 'POST'],
  ['/demo/book', 'POST'],
];

/**
 * Creates the queue server's Hono app.
 *
 * @example
 * ```ts
 * import { serve } from '@hono/node-server';
 * const store = await MemoryStore.open();
 * const signer = await createTokenSigner({ issuer: 'http://127.0.0.1:8787' });
 * const service = createQueueService({ store, signer, publicOrigin: signer.issuer });
 * serve({ fetch: createQueueApp({ service, adminToken }).fetch, port: 8787 });
 * ```
 */
export function createQueueApp(deps: QueueAppDeps): Hono<QueueAppEnv> {
  const { service } = deps;
  const logError = deps.logError ?? ((message, error) => console.error(message, error));
  const app = new Hono<QueueAppEnv>();

  app.use('*', securityHeaders());
  // The operator's own admin requests are never shed: pausing or closing a flooded room is
  // what they are for. Only a request bearing the admin token is exempt, checked in constant
  // time before the shedding decision.
  const isAdmin = bearerMatcher(deps.adminToken);
  app.use(
    '*',
    overloadGuard({
      ...(deps.maxInFlight !== undefined ? { maxInFlight: deps.maxInFlight } : {}),
      exempt: (c) => c.req.path.startsWith('/admin/') && isAdmin(c.req.header('Authorization')),
    }),
  );
  app.use(
    '/rooms/:room/*',
    roomCors((room) => service.allowedOrigins(room)),
  );
  app.options('/rooms/:room/*', () => secureResponse(null, { status: 204, headers: {} }));

  const { joinRateLimit, clientKey, joinChallenge } = deps;
  registerJoinRoute(
    app,
    service,
    (joinRateLimit && clientKey) || joinChallenge
      ? async (c, room) => {
          // The limit first: it costs one counter (in memory or one store call), and it also
          // caps how often one client makes the server hash a proof.
          if (joinRateLimit && clientKey) {
            const key = clientKey(c);
            if (key !== null) await joinRateLimit.take(key);
          }
          if (joinChallenge) await requireJoinChallenge(joinChallenge, c, room);
        }
      : undefined,
  );
  registerStateRoute(app, service);
  registerAdmitRoute(app, service);
  registerFairnessRoute(app, service);
  registerJwksRoute(app, service);
  registerHealthRoute(app, service);
  registerMetricsRoute(
    app,
    service,
    deps.metricsToken ? [deps.adminToken, deps.metricsToken] : [deps.adminToken],
  );
  registerAdminRoutes(app, service, deps.adminToken);
  registerDemoBookRoute(app, service);
  // Only beside the demo pages: an API-only deployment has no use for a demo issuer.
  if (deps.assets) registerDemoIdentityRoutes(app);
  if (deps.assets) registerStaticRoutes(app, deps.assets);

  for (const [path, allowed] of METHODS) {
    app.all(path, () =>
      errorResponse(405, 'method_not_allowed', `Use ${allowed} on this path.`, { Allow: allowed }),
    );
  }

  app.notFound(() => errorResponse(404, 'not_found', 'Nothing here.'));

  app.onError(async (error, c) => {
    const room = c.get('room');
    let response: Response;
    if (error instanceof ApiError) {
      response = apiErrorResponse(error);
    } else if (error instanceof TokenError) {
      response = errorResponse(401, error.code, error.message);
    } else if (error instanceof AdmissionError) {
      response = errorResponse(error.status, error.code, error.message);
    } else if (error instanceof StoreUnavailableError) {
      // A shared store that does not answer is an outage to wait out, not a bug: clients back
      // off (keeping their tickets) instead of retrying into a pile-up.
      response = errorResponse(
        503,
        'overloaded',
        'The queue is briefly unavailable; try again shortly.',
        { 'Retry-After': String(error.retryAfterSeconds) },
      );
    } else {
      logError('queue-gate: unexpected error', error);
      response = errorResponse(500, 'internal', 'Something went wrong on the queue server.');
    }
    const { code } = ((await response.clone().json()) as { error: { code: string } }).error;
    try {
      await service.countFailure(response.status, code, room);
    } catch (countError) {
      logError('queue-gate: could not count a failure', countError);
    }
    return response;
  });

  return app;
}
