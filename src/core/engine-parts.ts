/**
 * The engine's options and the parts it is built from: the transport, the stores, the tab
 * coordinator and the lifecycle signals, each the one given or the default.
 */
import { createBookedStore } from './booked-store.js';
import type { BookedStore } from './booked-store.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { createHttpTransport, DEFAULT_REQUEST_TIMEOUT_MS } from './http-transport.js';
import type { HttpTransport, HttpTransportOptions } from './http-transport.js';
import type { IdentityProvider } from './identity-assertion.js';
import { createDomLifecycle } from './lifecycle.js';
import type { LifecycleSource } from './lifecycle.js';
import { createTabCoordinator } from './tab-coordinator.js';
import type { TabCoordinator } from './tab-coordinator.js';
import { createTicketStore } from './ticket-store.js';
import type { StorageLike, TicketStore } from './ticket-store.js';

/** Options of {@link createQueueEngine}. Only `endpoint` and `room` are required. */
export interface QueueEngineOptions {
  /** Base URL of the queue server (a base path is kept). */
  endpoint: string;
  room: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Where the ticket is kept; defaults to `localStorage` (memory where blocked). */
  storage?: StorageLike | null;
  /**
   * Where this tab keeps its own copy of what the server gave it (see `trusted-ticket.ts`);
   * defaults to `sessionStorage` (memory where blocked). `null`: memory only.
   */
  witnessStorage?: StorageLike | null;
  clock?: Clock;
  /** Uniform [0, 1) source for jitter; defaults to `Math.random`. */
  random?: () => number;
  /**
   * Tab coordination; defaults to {@link createTabCoordinator} for this room. `null`: this
   * engine always leads (one tab, or tests that do not care).
   */
  coordinator?: TabCoordinator | null;
  /** Abort a request after this long (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** "Look now" signals; defaults to `online` and the page becoming visible. */
  lifecycle?: LifecycleSource;
  /** How often the shown position is moved between polls (default 1000 ms). */
  renderIntervalMs?: number;
  /** Replaces the HTTP transport entirely (e.g. another wire format); `fetch` is then unused. */
  transport?: HttpTransport;
  /** The visitor's cohort, for a room split into cohorts (sent with a first join). */
  cohort?: string;
  /**
   * How a room's proof-of-work join challenge is solved (see `join-proof.ts`); `false` never
   * solves one. The state stays `joining` while the proof is searched for.
   */
  joinProof?: HttpTransportOptions['joinProof'];
  /**
   * The visitor's identity, for a room that binds places to the site's signed-in user: resolves
   * to a fresh identity assertion (a short-lived JWT from the site's backend), or null when the
   * visitor is not signed in. Asked on the first join of a page, again once when the server
   * refuses the identity, and after `identityChanged()`; throwing, or taking longer than the
   * request timeout, counts as not signed in. Without it, the visitor always joins anonymously.
   */
  identity?: IdentityProvider;
}

/** The parts of one engine, defaults filled in. */
export interface EngineParts {
  clock: Clock;
  random: () => number;
  renderIntervalMs: number;
  /** The ticket, shared by the room's tabs. */
  store: TicketStore;
  /** This tab's own copy of what the server gave it (see `trusted-ticket.ts`). */
  witness: TicketStore;
  booked: BookedStore;
  transport: HttpTransport;
  coordinator: TabCoordinator | null;
  lifecycle: LifecycleSource;
  identity: IdentityProvider | null;
  /** How long a request (and the identity provider) may take. */
  requestTimeoutMs: number;
}

/** The parts `options` ask for. */
export function createEngineParts(options: QueueEngineOptions): EngineParts {
  const { endpoint, room } = options;
  const clock = options.clock ?? systemClock;
  return {
    clock,
    random: options.random ?? Math.random,
    renderIntervalMs: options.renderIntervalMs ?? 1000,
    store: createTicketStore({ endpoint, room, storage: options.storage, clock }),
    witness: createTicketStore({
      endpoint,
      room,
      storage:
        options.witnessStorage === undefined ? sessionStorageOrNull() : options.witnessStorage,
      clock,
    }),
    booked: createBookedStore({ endpoint, room, storage: options.storage, clock }),
    transport:
      options.transport ??
      createHttpTransport({
        endpoint,
        room,
        fetch: options.fetch,
        clock,
        requestTimeoutMs: options.requestTimeoutMs,
        ...(options.cohort !== undefined ? { cohort: options.cohort } : {}),
        ...(options.joinProof !== undefined ? { joinProof: options.joinProof } : {}),
      }),
    coordinator:
      options.coordinator === undefined
        ? createTabCoordinator({ room, endpoint, storage: options.storage, clock })
        : options.coordinator,
    lifecycle: options.lifecycle ?? createDomLifecycle(),
    identity: options.identity ?? null,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

function sessionStorageOrNull(): StorageLike | null {
  try {
    // Reading the property itself throws a SecurityError where storage is blocked.
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
