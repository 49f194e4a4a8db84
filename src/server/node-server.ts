/**
 * Node-only: runs the queue app on a port with the embedded store (or the shared Redis store),
 * the ticker that drives admission control, periodic flushes, and a clean shutdown.
 *
 * The parts live beside this file: `node-server-options.ts` (options, defaults),
 * `http-listener.ts` (timeouts, the request gate, the socket), `server-store.ts` (store, admin
 * token, rooms), `stored-signer.ts` (signing keys), `server-loops.ts` (ticker and flushes),
 * `package-assets.ts` (pages and bundles).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Context } from 'hono';
import { createQueueApp } from './app.js';
import type { QueueAppEnv } from './app-env.js';
import { trustedProxyCount } from './client-address.js';
import { carriesBearer, closeListener, clientOfIncoming } from './http-listener.js';
import { DEFAULT_HTTP_TIMEOUTS } from './http-listener.js';
import { DEFAULT_MAX_REQUESTS_PER_CLIENT, listenWithGate } from './http-listener.js';
import { createJoinRateLimit } from './join-rate-limit.js';
import { DEFAULT_DATA_DIR, DEMO_ROOM } from './node-server-options.js';
import type { RunningQueueServer, StartQueueServerOptions } from './node-server-options.js';
import { preferPreparedState, preparedStatesOf } from './state-fast-path.js';
import { packageAssets } from './package-assets.js';
import { createProofOfWorkChallenge } from './proof-of-work.js';
import { createQueueService } from './queue-service.js';
import { startServerLoops } from './server-loops.js';
import { ensureRooms, openServerStore, resolveAdminToken } from './server-store.js';
import { lockDataDir } from './store/data-dir-lock.js';
import { loadStoredSigner } from './stored-signer.js';

export { DEFAULT_HTTP_TIMEOUTS, DEFAULT_MAX_REQUESTS_PER_CLIENT } from './http-listener.js';
export type { HttpTimeouts } from './http-listener.js';
export { DEFAULT_DATA_DIR, DEMO_ROOM } from './node-server-options.js';
export type { RunningQueueServer, StartQueueServerOptions } from './node-server-options.js';

/**
 * Starts the queue server.
 *
 * @example
 * ```ts
 * const server = await startQueueServer({ port: 0, dataDir: null });
 * console.log(server.url); // http://127.0.0.1:54321
 * await server.close();
 * ```
 */
export async function startQueueServer(
  options: StartQueueServerOptions = {},
): Promise<RunningQueueServer> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir === undefined ? DEFAULT_DATA_DIR : options.dataDir;
  const now = options.now ?? Date.now;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  // Checked before anything is opened, so a bad option leaks no store or connection.
  const trustedProxies = trustedProxyCount(options.trustProxy);
  const maxPerClient = options.maxRequestsPerClient ?? DEFAULT_MAX_REQUESTS_PER_CLIENT;
  if (!Number.isInteger(maxPerClient) || maxPerClient < 0) {
    throw new RangeError('maxRequestsPerClient must be a whole number (0 for no cap).');
  }

  // The embedded store has one owner: a second process on its files would hand out the same
  // seqs (with Redis the data dir holds only a generated admin token, which any may read).
  const dirLock =
    options.redisUrl === undefined && dataDir !== null ? await lockDataDir(dataDir) : null;
  const store = await openServerStore({
    dataDir,
    ...(options.redisUrl !== undefined ? { redisUrl: options.redisUrl } : {}),
    ...(options.redisCluster !== undefined ? { redisCluster: options.redisCluster } : {}),
    ...(options.redisKeyPrefix !== undefined ? { redisKeyPrefix: options.redisKeyPrefix } : {}),
  });
  // Of many processes sharing a store, only the holder moves the line (the embedded store's
  // lease always holds: one process owns it).
  const tickerLease = store.lease('admission-control');
  const { token: adminToken, generated: adminTokenGenerated } = await resolveAdminToken(
    options.adminToken,
    dataDir,
  );

  // One notion of "client" for every per-client limit.
  const clientOf = clientOfIncoming(trustedProxies);
  const listener = await listenWithGate({
    port: options.port ?? 8787,
    host,
    timeouts: { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts },
    maxPerClient,
    clientOf,
    // Only the admin's own requests may send an admin-sized body (read before the app runs).
    isAdmin: carriesBearer(adminToken),
  });
  const { url, server } = listener;
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : url;

  const { signer, saveKeysIfChanged } = await loadStoredSigner(store, publicOrigin, now, {
    ...(options.keyRotationDays ? { rotateEveryMs: options.keyRotationDays * 86_400_000 } : {}),
  });
  const service = createQueueService({
    store,
    signer,
    publicOrigin,
    now,
    ...(options.claimGraceSeconds !== undefined
      ? { claimGraceSeconds: options.claimGraceSeconds }
      : {}),
  });
  await ensureRooms(store, options.rooms ?? { demo: DEMO_ROOM }, now);

  listener.countRefusalsWith((status, code) => {
    // Counters live in memory until the next flush; a failure there is not this request's.
    service.countFailure(status, code).catch(() => {});
  });
  const clientKey = (c: Context<QueueAppEnv>): string | null => {
    // Absent when the app is called directly (`server.app.fetch`), not through the port.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    return incoming ? clientOf(incoming) : null;
  };
  const perClient = options.joinsPerMinutePerClient ?? 0;
  const assets = packageAssets(options.staticRoot);
  const app = createQueueApp({
    service,
    adminToken,
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    logError,
    ...(perClient > 0
      ? { joinRateLimit: createJoinRateLimit({ perMinute: perClient, now, store }), clientKey }
      : {}),
    ...(options.joinPowBits
      ? {
          joinChallenge: createProofOfWorkChallenge({
            bits: options.joinPowBits,
            now,
            // Shared through the store, so a proof buys one place across all processes.
            consumeOnce: (key, expiresAtMs) => store.consumeJti(`pow:${key}`, expiresAtMs, now()),
          }),
        }
      : {}),
    ...(assets !== null ? { assets } : {}),
  });
  listener.serveWith((request, env) => app.fetch(request, env));
  // `state` answers prepared by the app go out from the socket until the loop's next turn.
  preferPreparedState(server as Server, preparedStatesOf(service));

  const stopLoops = startServerLoops({
    tickIntervalMs: options.tickIntervalMs ?? 1000,
    flushIntervalMs: options.flushIntervalMs ?? 5000,
    tickerLease,
    service,
    flush: async () => {
      await saveKeysIfChanged();
      await store.flush();
    },
    logError,
  });

  let closing: Promise<void> | null = null;
  return {
    url,
    publicOrigin,
    adminToken,
    adminTokenGenerated,
    app,
    service,
    store,
    close() {
      closing ??= (async () => {
        stopLoops();
        await closeListener(server);
        // Keys changed here since the last sync are saved if the store can take them; a store
        // that is down (Redis gone) must not keep the process from stopping.
        await saveKeysIfChanged().catch((error: unknown) =>
          logError('queue-gate: saving the signing keys on shutdown failed', error),
        );
        // Given up on a clean stop, so another process takes over admission control at once.
        await tickerLease.release().catch(() => {});
        await store.close();
        await dirLock?.release();
      })();
      return closing;
    },
  };
}
