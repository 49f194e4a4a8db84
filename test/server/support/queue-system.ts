/**
 * The whole system an adversarial model test drives, over real HTTP on loopback: the queue
 * server (the real app and service on the embedded store or on Redis, rebuilt on "restart" over
 * the same data) and a booking backend built from `queue-gate/verify` as docs/verify.md shows.
 * Both run on one hand-moved clock, so a test can cross every expiry and window at will.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createQueueApp } from '../../../src/server/app.js';
import { createQueueService } from '../../../src/server/queue-service.js';
import type { QueueService } from '../../../src/server/queue-service.js';
import { mergeRoomConfig } from '../../../src/server/room-config.js';
import { MemoryStore } from '../../../src/server/store/memory-store.js';
import type { StorePersistence, StoreSnapshot } from '../../../src/server/store/memory-store.js';
import type { QueueStore, RoomConfig } from '../../../src/server/store/queue-store.js';
import { RedisStore } from '../../../src/server/store/redis-store.js';
import { createTokenSigner } from '../../../src/server/token-signer.js';
import type { StoredSigningKey } from '../../../src/server/token-signer.js';
import { createMemorySingleUseStore, queueAdmission } from '../../../src/verify/index.js';
import type { QueueAdmissionVariables } from '../../../src/verify/index.js';
import type { LooseJson } from '../helpers/test-server.js';

export const SYSTEM_ADMIN_TOKEN = 'model-admin-token-0123456789';

/** Opens the store of one run; called again on every restart (same data, new process). */
export interface StoreFactory {
  name: string;
  open(): Promise<QueueStore>;
  /** Forgets the run's data (a new run starts empty). */
  reset(): Promise<void>;
}

/** The embedded store, persisted to memory: a restart reopens what was durably written. */
export function memoryStoreFactory(): StoreFactory {
  let saved: StoreSnapshot | null = null;
  const persistence: StorePersistence = {
    load: async () => (saved ? structuredClone(saved) : null),
    save: async (snapshot) => {
      saved = structuredClone(snapshot);
    },
  };
  return {
    name: 'embedded store',
    open: () => MemoryStore.open({ persistence, seqBlockSize: 4 }),
    reset: async () => {
      saved = null;
    },
  };
}

/** Redis, a fresh key prefix per run: a restart reconnects to the same keys. */
export function redisStoreFactory(url: string): StoreFactory {
  let run = 0;
  return {
    name: 'Redis store',
    open: () => RedisStore.open({ url, keyPrefix: `model-${process.pid}-${run}:` }),
    reset: async () => {
      run += 1;
    },
  };
}

interface Answer {
  status: number;
  headers: Headers;
  json: LooseJson;
}

/** One queue server and one booking backend, both over HTTP, on a shared hand-moved clock. */
export class QueueSystem {
  time = Date.UTC(2026, 0, 1, 9);
  service!: QueueService;
  queueUrl = '';
  backendUrl = '';
  private store: QueueStore | null = null;
  private queueHandler: (request: Request) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });
  private backendHandler: (request: Request) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });
  private readonly servers: Array<ReturnType<typeof serve>> = [];

  constructor(
    private readonly factory: StoreFactory,
    private readonly keys: StoredSigningKey[],
    private readonly room: string,
    private readonly config: Partial<RoomConfig>,
    private readonly ticketTtlSeconds: number,
  ) {}

  readonly now = (): number => this.time;

  /** Starts the two listeners (once for many runs). */
  async listen(): Promise<void> {
    const listen = async (handler: () => (request: Request) => Response | Promise<Response>) => {
      const server = serve({
        fetch: (request) => handler()(request),
        port: 0,
        hostname: '127.0.0.1',
      });
      await new Promise<void>((ready) => server.once('listening', () => ready()));
      this.servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    this.queueUrl = await listen(() => this.queueHandler);
    this.backendUrl = await listen(() => this.backendHandler);
  }

  /** A new run: empty data, the room as configured, a new booking backend. */
  async begin(): Promise<void> {
    await this.stop();
    await this.factory.reset();
    this.time = Date.UTC(2026, 0, 1, 9);
    await this.start();
    const store = this.store!;
    await store.putRoomConfig(this.room, mergeRoomConfig(null, this.config), this.time);
    // The opening draw's commitment is made as the admin API would make it.
    await this.service.putRoom(this.room, {});
    const backend = new Hono<{ Variables: QueueAdmissionVariables }>();
    backend.post(
      '/book',
      queueAdmission({
        jwksUrl: `${this.queueUrl}/.well-known/jwks.json`,
        issuer: this.queueUrl,
        audience: this.queueUrl,
        room: this.room,
        now: this.now,
        store: createMemorySingleUseStore({ now: this.now }),
      }),
      (c) => c.json({ booked: true, seq: c.get('queueAdmission').seq }),
    );
    this.backendHandler = (request) => backend.fetch(request);
  }

  /** The queue server process starts (again) over the data written so far. */
  async start(): Promise<void> {
    await this.stop();
    const store = await this.factory.open();
    this.store = store;
    const signer = await createTokenSigner({
      issuer: this.queueUrl,
      now: this.now,
      keys: this.keys,
      ticketTtlSeconds: this.ticketTtlSeconds,
    });
    this.service = createQueueService({
      store,
      signer,
      publicOrigin: this.queueUrl,
      now: this.now,
    });
    const app = createQueueApp({
      service: this.service,
      adminToken: SYSTEM_ADMIN_TOKEN,
      logError: () => {},
    });
    this.queueHandler = (request) => app.fetch(request);
  }

  /** The queue server process stops (its store connection closes without a final flush). */
  async stop(): Promise<void> {
    if (this.store instanceof RedisStore) await this.store.close();
    this.store = null;
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      ),
    );
  }

  async call(
    base: 'queue' | 'backend',
    method: string,
    path: string,
    options: { body?: unknown; bearer?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${base === 'queue' ? this.queueUrl : this.backendUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text ? JSON.parse(text) : null,
    };
  }

  admin(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.call('queue', method, `/admin/rooms/${this.room}${path}`, {
      bearer: SYSTEM_ADMIN_TOKEN,
      ...(body !== undefined ? { body } : {}),
    });
  }
}
