/**
 * Node-only: runs the queue app on a port with the embedded store (or the shared Redis store),
 * the ticker that drives admission control, periodic flushes, and a clean shutdown.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Context, Hono } from 'hono';
import { LIMITS } from '../protocol.js';
import { createQueueApp } from './app.js';
import type { QueueAppEnv } from './app-env.js';
import { clientAddress, trustedProxyCount } from './client-address.js';
import { createProofOfWorkChallenge } from './proof-of-work.js';
import { generateAdminToken, loadOrCreateAdminToken } from './admin-token.js';
import { createDiskAssets } from './disk-assets.js';
import { createJoinRateLimit } from './join-rate-limit.js';
import { createRequestGate } from './request-gate.js';
import { ADMIN_MAX_BODY_BYTES } from './routes/admin.js';
import { tickUnderLease } from './lease-ticker.js';
import { createQueueService } from './queue-service.js';
import type { QueueService } from './queue-service.js';
import { loadRedisModule } from './redis-loader.js';
import { mergeRoomConfig } from './room-config.js';
import { createFilePersistence } from './store/file-persistence.js';
import { MemoryStore } from './store/memory-store.js';
import type { QueueStore, RoomConfig } from './store/queue-store.js';
import { createTokenSigner } from './token-signer.js';

/** Default data directory of the embedded store. */
export const DEFAULT_DATA_DIR = './.queue-gate-data';

/** Options of {@link startQueueServer}. */
export interface StartQueueServerOptions {
  /** Port to listen on (default 8787; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Where the store and the generated admin token live; null keeps everything in memory. */
  dataDir?: string | null;
  /** Admin API token; when absent one is loaded from, or generated into, the data directory. */
  adminToken?: string;
  /** Public origin of the server (issuer of tokens, default audience); default `http://host:port`. */
  publicUrl?: string;
  /** Rooms created at start when missing (default: `demo` at 30 admissions a minute). */
  rooms?: Record<string, Partial<RoomConfig>>;
  /** Folder holding `demo/` and `dist/`; null serves no pages (default: this package). */
  staticRoot?: string | null;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** How often admission control runs, in ms (default 1000; 0 never, then call `service.tick()`). */
  tickIntervalMs?: number;
  /** How often counters are flushed to disk, in ms (default 5000). */
  flushIntervalMs?: number;
  /** Grace after a turn during which an unclaimed seq holds a slot, in seconds (default 15). */
  claimGraceSeconds?: number;
  /** New places one client address may take per minute; 0 or absent for no limit. */
  joinsPerMinutePerClient?: number;
  /**
   * Leading zero bits of the proof of work a new place costs (see `proof-of-work.ts`);
   * 0 or absent: no challenge. Ticket holders are never asked.
   */
  joinPowBits?: number;
  /**
   * How many proxies in front of the server append to `X-Forwarded-For` (0 to 10; default 0,
   * the header is ignored). The client address is then the entry the outermost of them
   * appended, the Nth from the right: `1` behind one nginx, `2` behind a cloud load balancer
   * and nginx. `true` means 1. Only the proxies' own entries count: whatever the client sent
   * itself stays to their left. See `client-address.ts`.
   */
  trustProxy?: number | boolean;
  /**
   * Most requests one client address may have with a body still arriving (default
   * {@link DEFAULT_MAX_REQUESTS_PER_CLIENT}; 0 for no cap). Past it, new requests from that
   * address get `429 rate_limited` with `Retry-After` and the connection is closed. Requests
   * being worked on do not count (the overload guard sees to those). Behind a CDN or proxy set
   * `trustProxy`, or every visitor shares the proxy's address.
   */
  maxRequestsPerClient?: number;
  /**
   * A bearer token that reads `/metrics` and nothing else (at least 16 characters); the admin
   * token always reads them too.
   */
  metricsToken?: string;
  /** Where errors are reported (default `console.error`). */
  logError?: (message: string, error: unknown) => void;
  /**
   * Keeps the queue in this Redis instead of the embedded store, shared with every process
   * started with the same URL and prefix; only one of them runs admission control at a time.
   */
  redisUrl?: string;
  /**
   * `redisUrl` lists the seed nodes of a Redis Cluster, comma-separated (see
   * `RedisStoreOptions.cluster` and docs/scaling.md).
   */
  redisCluster?: boolean;
  /** Prefix of the Redis keys (default `queue-gate:`). */
  redisKeyPrefix?: string;
  /** Limits on slow and idle connections (defaults: {@link DEFAULT_HTTP_TIMEOUTS}). */
  httpTimeouts?: Partial<HttpTimeouts>;
}

/** How long a connection may take or sit idle before Node closes it, in milliseconds. */
export interface HttpTimeouts {
  /** From connection (or keep-alive reuse) to the end of the request headers. */
  headersTimeoutMs: number;
  /** From connection to the end of the whole request, body included. */
  requestTimeoutMs: number;
  /**
   * From the end of the headers to the end of the body; past it `408 body_timeout` and the
   * connection is closed. Bodies are read in full before the app runs.
   */
  bodyTimeoutMs: number;
  /** Idle time allowed between requests on a kept-alive connection. */
  keepAliveTimeoutMs: number;
  /** How often the two limits above are checked. */
  checkIntervalMs: number;
}

/**
 * Set on purpose rather than left to Node's defaults (headers 60 s, request 300 s, checked
 * every 30 s): a client that trickles headers or a body, or opens sockets and says nothing,
 * holds a file descriptor and memory for as long as it is allowed to. Every legitimate request
 * here is a few hundred bytes, so seconds are plenty even on a bad mobile link: a body has 5 s
 * once its headers are in.
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  bodyTimeoutMs: 5_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

/**
 * Default cap on one client address's requests whose body is still arriving. A visitor's body
 * is a few bytes that come with its headers, so even a carrier NAT or a proxy rarely has more
 * than a handful in flight; one address can no longer hold thousands of sockets open with
 * bodies it never finishes.
 */
export const DEFAULT_MAX_REQUESTS_PER_CLIENT = 64;

/** A running server. */
export interface RunningQueueServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The public origin tokens are issued for. */
  publicOrigin: string;
  adminToken: string;
  /** Whether the admin token was generated by this start (print it once). */
  adminTokenGenerated: boolean;
  app: Hono<QueueAppEnv>;
  service: QueueService;
  store: QueueStore;
  /** Stops the ticker, flushes the store and closes the server. */
  close(): Promise<void>;
}

/** The package root: two levels above this file in both `src/server/` and `dist/server/`. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Settings of the `demo` room that exists at start. */
export const DEMO_ROOM: Partial<RoomConfig> = { admitPerMinute: 30, holdSeconds: 300 };

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

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

  // Loaded only when asked for, so the embedded store never pulls in the Redis client (an
  // optional peer dependency: without it, this says to install it).
  const store: QueueStore = options.redisUrl
    ? await (
        await loadRedisModule(() => import('./redis.js'))
      ).RedisStore.open({
        url: options.redisUrl,
        ...(options.redisCluster ? { cluster: true } : {}),
        ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
      })
    : await MemoryStore.open(
        dataDir === null ? {} : { persistence: createFilePersistence(dataDir) },
      );
  // Of many processes sharing a store, only the holder moves the line (the embedded store's
  // lease always holds: one process owns it).
  const tickerLease = store.lease('admission-control');
  let adminToken = options.adminToken;
  let adminTokenGenerated = false;
  if (!adminToken) {
    const loaded =
      dataDir === null
        ? { token: generateAdminToken(), generated: true }
        : await loadOrCreateAdminToken(dataDir);
    adminToken = loaded.token;
    adminTokenGenerated = loaded.generated;
  }

  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts };
  // One notion of "client" for every per-client limit.
  const clientOf = (incoming: IncomingMessage): string | null => {
    const forwarded = incoming.headers['x-forwarded-for'];
    return clientAddress(
      Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      incoming.socket.remoteAddress,
      trustedProxies,
    );
  };
  // Refusals at the gate are counted once the service exists (it is made after listening).
  let countRefusal: (status: number, code: string) => void = () => {};
  const gate = createRequestGate({
    maxPerClient,
    bodyTimeoutMs: timeouts.bodyTimeoutMs,
    bodyLimit: (target) =>
      /^(?:https?:\/\/[^/]*)?\/admin\//i.test(target) ? ADMIN_MAX_BODY_BYTES : LIMITS.maxBodyBytes,
    clientOf,
    onRefused: (status, code) => countRefusal(status, code),
  });
  // Listen first: with port 0 the public origin (the tokens' issuer) is known only then.
  let handler: ((request: Request, env: unknown) => Response | Promise<Response>) | null = null;
  let server: ReturnType<typeof serve>;
  const port = await new Promise<number>((ready, fail) => {
    server = serve(
      {
        fetch: (request, env) =>
          gate((env as { incoming: IncomingMessage }).incoming, () =>
            handler
              ? handler(request, env)
              : new Response('Starting', { status: 503, headers: { 'Retry-After': '1' } }),
          ),
        port: options.port ?? 8787,
        hostname: host,
        serverOptions: {
          headersTimeout: timeouts.headersTimeoutMs,
          requestTimeout: timeouts.requestTimeoutMs,
          keepAliveTimeout: timeouts.keepAliveTimeoutMs,
          connectionsCheckingInterval: timeouts.checkIntervalMs,
        },
      },
      (info: AddressInfo) => ready(info.port),
    );
    server.once('error', fail);
  });
  const url = `http://${formatHost(host)}:${port}`;
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : url;

  let savedKeys = await store.loadSigningKeys();
  if (savedKeys.length === 0) {
    // Processes starting together each make keys; the first saved wins and all sign with it.
    const fresh = await createTokenSigner({ issuer: publicOrigin, now });
    savedKeys = await store.initSigningKeys(fresh.exportKeys());
  }
  const signer = await createTokenSigner({ issuer: publicOrigin, keys: savedKeys, now });
  let savedKeysJson = JSON.stringify(savedKeys);
  const saveKeysIfChanged = async () => {
    const keys = signer.exportKeys();
    const json = JSON.stringify(keys);
    if (json !== savedKeysJson) {
      await store.saveSigningKeys(keys);
      savedKeysJson = json;
    }
  };
  await saveKeysIfChanged();

  const service = createQueueService({
    store,
    signer,
    publicOrigin,
    now,
    ...(options.claimGraceSeconds !== undefined
      ? { claimGraceSeconds: options.claimGraceSeconds }
      : {}),
  });
  for (const [room, config] of Object.entries(options.rooms ?? { demo: DEMO_ROOM })) {
    if (!(await store.getRoom(room)))
      await store.putRoomConfig(room, mergeRoomConfig(null, config), now());
  }

  countRefusal = (status, code) => {
    // Counters live in memory until the next flush; a failure there is not this request's.
    service.countFailure(status, code).catch(() => {});
  };
  const clientKey = (c: Context<QueueAppEnv>): string | null => {
    // Absent when the app is called directly (`server.app.fetch`), not through the port.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    return incoming ? clientOf(incoming) : null;
  };
  const perClient = options.joinsPerMinutePerClient ?? 0;
  const staticRoot = options.staticRoot === undefined ? PACKAGE_ROOT : options.staticRoot;
  const app = createQueueApp({
    service,
    adminToken,
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    logError,
    ...(perClient > 0
      ? { joinRateLimit: createJoinRateLimit({ perMinute: perClient, now }), clientKey }
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
    ...(staticRoot !== null ? { assets: createDiskAssets(staticRoot) } : {}),
  });
  handler = (request, env) => app.fetch(request, env);

  const every = (ms: number, job: () => Promise<unknown>, what: string) => {
    if (ms <= 0) return null;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) => logError(`queue-gate: ${what} failed`, error))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(
      options.tickIntervalMs ?? 1000,
      () => tickUnderLease(tickerLease, service),
      'admission control',
    ),
    every(
      options.flushIntervalMs ?? 5000,
      async () => {
        await saveKeysIfChanged();
        await store.flush();
      },
      'flush',
    ),
  ];

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
        for (const timer of timers) if (timer) clearInterval(timer);
        await new Promise<void>((done) => {
          server.close(() => done());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        await saveKeysIfChanged();
        // Given up on a clean stop, so another process takes over admission control at once.
        await tickerLease.release().catch(() => {});
        await store.close();
      })();
      return closing;
    },
  };
}
