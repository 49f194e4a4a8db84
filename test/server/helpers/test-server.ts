/**
 * Starts the queue app in-process on a free port with an in-memory store and a hand-driven
 * clock: tests move time with `clock.advance()` and run admission control with `service.tick()`.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Context } from 'hono';
import { createQueueApp } from '../../../src/server/app.js';
import type { QueueAppEnv } from '../../../src/server/app-env.js';
import type { JoinChallenge } from '../../../src/server/join-challenge.js';
import { createJoinRateLimit } from '../../../src/server/join-rate-limit.js';
import { createQueueService } from '../../../src/server/queue-service.js';
import type { QueueService } from '../../../src/server/queue-service.js';
import type { DrawSeed } from '../../../src/server/opening-draw.js';
import { mergeRoomConfig } from '../../../src/server/room-config.js';
import type { AssetSource } from '../../../src/server/routes/static-pages.js';
import { MemoryStore } from '../../../src/server/store/memory-store.js';
import type { RoomConfig } from '../../../src/server/store/queue-store.js';
import { createTokenSigner } from '../../../src/server/token-signer.js';
import type { TokenSigner } from '../../../src/server/token-signer.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

export interface TestServer {
  url: string;
  origin: string;
  clock: TestClock;
  service: QueueService;
  store: MemoryStore;
  /** The service's signer, for tests that forge or inspect tokens. */
  signer: TokenSigner;
  close: () => Promise<void>;
}

export interface TestServerOptions {
  rooms?: Record<string, Partial<RoomConfig>>;
  claimGraceSeconds?: number;
  /** Makes the opening draw's seed (default: random); tests fix it to get a known order. */
  drawSeed?: () => DrawSeed;
  assets?: AssetSource;
  maxInFlight?: number;
  /** New places per client per minute (clients told apart by the `X-Client` header). */
  joinsPerMinutePerClient?: number;
  /** A bearer token that reads `/metrics` besides the admin token. */
  metricsToken?: string;
  /** Asked before a new place is handed out (e.g. a proof of work); off when absent. */
  joinChallenge?: JoinChallenge;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let time = Date.UTC(2026, 0, 1, 9, 0, 0);
  const clock: TestClock = { now: () => time, advance: (ms) => void (time += ms) };
  const store = await MemoryStore.open();
  let handler: (request: Request) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });
  const server = serve({ fetch: (request) => handler(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((ready) => server.once('listening', () => ready()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const signer = await createTokenSigner({ issuer: url, now: clock.now });
  const service = createQueueService({
    store,
    signer,
    publicOrigin: url,
    now: clock.now,
    ...(options.drawSeed ? { drawSeed: options.drawSeed } : {}),
    ...(options.claimGraceSeconds !== undefined
      ? { claimGraceSeconds: options.claimGraceSeconds }
      : {}),
  });
  for (const [room, config] of Object.entries(options.rooms ?? { demo: { admitPerMinute: 0 } })) {
    await store.putRoomConfig(room, mergeRoomConfig(null, config), clock.now());
  }
  const app = createQueueApp({
    service,
    adminToken: ADMIN_TOKEN,
    logError: () => {},
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.assets ? { assets: options.assets } : {}),
    ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.joinChallenge ? { joinChallenge: options.joinChallenge } : {}),
    ...(options.joinsPerMinutePerClient
      ? {
          joinRateLimit: createJoinRateLimit({
            perMinute: options.joinsPerMinutePerClient,
            now: clock.now,
          }),
          clientKey: (c: Context<QueueAppEnv>) => c.req.header('X-Client') ?? null,
        }
      : {}),
  });
  handler = (request) => app.fetch(request);
  return {
    url,
    origin: url,
    clock,
    service,
    store,
    signer,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

/** A JSON answer that tests read field by field and assert on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every field read is asserted
export type LooseJson = any;

/** POSTs JSON (or nothing) and returns the status, headers and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: LooseJson }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : null,
  };
}

/** Joins `room` as a new visitor (or with `ticket`). */
export function join(server: TestServer, room = 'demo', ticket?: string) {
  return postJson(`${server.url}/rooms/${room}/join`, ticket === undefined ? {} : { ticket });
}

/** Claims admission with `ticket`. */
export function admit(server: TestServer, ticket: string, room = 'demo') {
  return postJson(`${server.url}/rooms/${room}/admit`, undefined, {
    Authorization: `Bearer ${ticket}`,
  });
}

/** Calls the admin API. */
export function adminCall(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  token = ADMIN_TOKEN,
) {
  return fetch(`${server.url}/admin/rooms/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
