/**
 * Node-only: the listening socket of the queue server. Sets the HTTP timeouts, puts the
 * request gate (per-client in-flight cap, body limits and body timeout) in front of the app,
 * and answers `503 Starting` until the app is ready.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { LIMITS } from '../protocol.js';
import { bearerMatcher } from './admin-auth.js';
import { clientAddress } from './client-address.js';
import { clientKey } from './client-key.js';
import { createRequestGate } from './request-gate.js';
import { ADMIN_MAX_BODY_BYTES } from './routes/admin.js';

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

/** A Node server as `@hono/node-server` returns it. */
export type NodeServer = ReturnType<typeof serve>;

/** What {@link listenWithGate} needs. */
export interface ListenOptions {
  port: number;
  host: string;
  timeouts: HttpTimeouts;
  /** Most requests of one client with a body still arriving; 0 for no cap. */
  maxPerClient: number;
  /** The client address of a connection (see `client-address.ts`). */
  clientOf: (incoming: IncomingMessage) => string | null;
  /**
   * Whether a request carries the admin token: only then is an admin body read past the
   * visitors' limit (the gate reads bodies before the app checks the token). Absent: every
   * request to an admin path may send the admin limit.
   */
  isAdmin?: (incoming: IncomingMessage) => boolean;
}

/** A server that listens; requests get `503` until {@link Listener.serveWith} is called. */
export interface Listener {
  server: NodeServer;
  port: number;
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** Starts passing requests to the app. */
  serveWith(handler: (request: Request, env: unknown) => Response | Promise<Response>): void;
  /** Where refusals at the gate are counted from now on. */
  countRefusalsWith(count: (status: number, code: string) => void): void;
}

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/**
 * The client of a Node request as every per-client limit counts it: its address (see
 * `client-address.ts`), IPv6 addresses by their /64 (see `client-key.ts`).
 *
 * @example
 * ```ts
 * const clientOf = clientOfIncoming(1); // behind one proxy
 * ```
 */
export const clientOfIncoming =
  (trustedProxies: number) =>
  (incoming: IncomingMessage): string | null => {
    const forwarded = incoming.headers['x-forwarded-for'];
    const address = clientAddress(
      Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      incoming.socket.remoteAddress,
      trustedProxies,
    );
    return address === null ? null : clientKey(address);
  };

/**
 * Whether a Node request carries `Authorization: Bearer <token>` (see `bearerMatcher`).
 *
 * @example
 * ```ts
 * const isAdmin = carriesBearer(adminToken);
 * ```
 */
export function carriesBearer(token: string): (incoming: IncomingMessage) => boolean {
  const matches = bearerMatcher(token);
  return (incoming) => matches(incoming.headers.authorization);
}

/**
 * Listens first: with port 0 the public origin (the tokens' issuer) is known only then.
 *
 * @example
 * ```ts
 * const listener = await listenWithGate({ port: 0, host: '127.0.0.1', timeouts, maxPerClient: 64, clientOf });
 * listener.serveWith((request, env) => app.fetch(request, env));
 * ```
 */
export async function listenWithGate(options: ListenOptions): Promise<Listener> {
  const { timeouts } = options;
  // Refusals at the gate are counted once the service exists (it is made after listening).
  let countRefusal: (status: number, code: string) => void = () => {};
  const gate = createRequestGate({
    maxPerClient: options.maxPerClient,
    bodyTimeoutMs: timeouts.bodyTimeoutMs,
    bodyLimit: (target, incoming) =>
      /^(?:https?:\/\/[^/]*)?\/admin\//.test(target) && (options.isAdmin?.(incoming) ?? true)
        ? ADMIN_MAX_BODY_BYTES
        : LIMITS.maxBodyBytes,
    clientOf: options.clientOf,
    onRefused: (status, code) => countRefusal(status, code),
  });
  let handler: ((request: Request, env: unknown) => Response | Promise<Response>) | null = null;
  let server!: NodeServer;
  const port = await new Promise<number>((ready, fail) => {
    server = serve(
      {
        fetch: (request, env) =>
          gate((env as { incoming: IncomingMessage }).incoming, () =>
            handler
              ? handler(request, env)
              : new Response('Starting', { status: 503, headers: { 'Retry-After': '1' } }),
          ),
        port: options.port,
        hostname: options.host,
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
  return {
    server,
    port,
    url: `http://${formatHost(options.host)}:${port}`,
    serveWith(next) {
      handler = next;
    },
    countRefusalsWith(count) {
      countRefusal = count;
    },
  };
}

/**
 * Closes the server and every open connection (kept-alive ones would hold `close` up).
 *
 * @example
 * ```ts
 * await closeListener(listener.server);
 * ```
 */
export function closeListener(server: NodeServer): Promise<void> {
  return new Promise<void>((done) => {
    server.close(() => done());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
