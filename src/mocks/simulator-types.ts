/** The public shapes of {@link QueueSimulator} (see `queue-simulator.ts`). */
import type { RoomStatus } from '../protocol.js';
import type { Fault } from './simulated-fault.js';
import type { TicketRefusal } from './ticket-refusal.js';

/** Settings of a simulated room. Every field has a default; see each. */
export interface QueueSimulatorOptions {
  /** The only room served; default `'demo'`. Requests for other rooms answer 404 `room_not_found`. */
  room?: string;
  /** Highest seq allowed to claim admission at the start; default 0 (at most `issued`). */
  serving?: number;
  /** Highest seq handed out at the start; default 0 (the next join gets `issued + 1`). */
  issued?: number;
  /**
   * Admissions per second the server's admission control lets through (the room's
   * `admitPerMinute` is this × 60); default 0: the line moves only by `advance()`.
   */
  ratePerSec?: number;
  /** The room's `pollAfterMs` (1000 to 60000); default 2000. */
  pollAfterMs?: number;
  /** Room status; default `'open'`. */
  status?: RoomStatus;
  /** How long after their turn a visitor may still claim admission (10 s to a day); default 600 s. */
  holdSeconds?: number;
  /** Lifetime of a ticket; default 86400 s. Fixed when the simulator is created (or reset). */
  ticketTtlSeconds?: number;
  /** Lifetime of an admission; default 120 s. */
  admissionTtlSeconds?: number;
  /** Scheduled opening (epoch ms, at most 30 days ahead): a real pre-open draw. Default none. */
  opensAt?: number;
  /** `iss` of the tokens; default `'queue-gate-mock'`. Fixed when created (or reset). */
  issuer?: string;
  /** `aud` of admissions; default `'queue-gate-demo'`. */
  audience?: string;
  /**
   * More room settings, exactly as the admin API takes them (`PUT /admin/rooms/:room`):
   * `cohorts`, `maxActive`, `identity`, `identityRequired`, `allowedOrigins` (default `*` in the
   * mocks), … Applied over the settings above and checked as the server checks them: with an
   * invalid one, the simulator's answers (or `configure()`) reject with the server's message.
   */
  roomSettings?: Record<string, unknown>;
  /** Injected clock (epoch ms); default `Date.now`. `setSpeed` and `skipTime` run on top of it. */
  now?: () => number;
  /** Injected random source in [0, 1) that decides `setFailureRate` failures; default `Math.random`. */
  random?: () => number;
  /** Injected wait used for `setLatency`; default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
}

/** A request as the simulator saw it (faulted ones included): what tests count and inspect. */
export interface RecordedRequest {
  method: string;
  /** URL path, base path included (e.g. `/queue/rooms/demo/state`). */
  path: string;
  /** Arrival time on the simulator's clock (epoch ms). */
  at: number;
  /** The ticket presented (join body or `Authorization: Bearer`), if any. */
  ticket?: string;
  /** Status of the answer, once sent; absent for network failures and hangs. */
  status?: number;
}

/** Options of {@link QueueSimulator.rejectTickets}. */
export interface RejectTicketsOptions {
  /**
   * Stop refusing once a visitor, having been refused, joins afresh (without a ticket): the
   * demo's "rejoin" then recovers instead of being refused forever. Default false.
   */
  untilRejoin?: boolean;
}

/** The simulator's counters, as a test or the demo's panel sees them. */
export interface QueueSimulatorSnapshot {
  serving: number;
  issued: number;
  status: RoomStatus;
  /** The configured rate (`admitPerMinute / 60`), not the measured one answers report. */
  ratePerSec: number;
  /** The `setSpeed` multiplier of the simulated clock. */
  speed: number;
}

/**
 * The reference server running in the page (or a Node test), with controls. Create one with
 * `createQueueSimulator`. Controls that change the room return a promise; requests made after
 * calling one (awaited or not) see its effect.
 */
export interface QueueSimulator {
  /** The server as a function (no faults, latency or offline): records and answers. */
  handle(request: Request): Promise<Response>;
  /**
   * The server with faults, latency and offline applied: rejects with a `TypeError` for
   * network failures and never settles for hangs (unless the request's signal aborts). MSW
   * handlers and {@link QueueSimulator.fetch} both go through it.
   */
  dispatch(request: Request): Promise<Response>;
  /** fetch-compatible wrapper around `dispatch()`, for injection into the core. */
  readonly fetch: typeof fetch;
  /** Moves `serving` forward by `by` places, like the admin API (up to `issued`). */
  advance(by: number): Promise<void>;
  /** Opens, pauses or closes the room (the admin API's resume, pause, close). */
  setStatus(status: RoomStatus): Promise<void>;
  /** Admissions per second admission control lets through from now on (0: only `advance`). */
  setRate(ratePerSec: number): Promise<void>;
  /** Runs the simulated clock `multiplier` times as fast (0 stops it): the whole room speeds up. */
  setSpeed(multiplier: number): void;
  /** Moves the simulated clock ahead by `ms` at once (the line catches up tick by tick). */
  skipTime(ms: number): void;
  /** The simulated clock, epoch ms. */
  now(): number;
  /** The next `count` requests fail with `fault`. */
  failNext(count: number, fault: Fault): void;
  /** A share (0..1) of requests fail with `fault` (default a 502), decided by the injected random. */
  setFailureRate(share: number, fault?: Fault): void;
  /** Delays every answer by `ms` (through the injected `sleep`). */
  setLatency(ms: number): void;
  /** While offline, every request rejects like a network error. */
  setOffline(offline: boolean): void;
  /** Every ticket presented is refused with 401 and `code`; `null` stops refusing. */
  rejectTickets(code: TicketRefusal | null, options?: RejectTicketsOptions): void;
  /** Moves the clock past the admission lifetime: admissions handed out so far have expired. */
  expireAdmissions(): void;
  /**
   * Books with `admission`, as the server's `/demo/book` does: each place books once, and
   * afterwards claiming admission for it answers `409 admission_used`.
   *
   * @returns `booked` the first time for the place, `admission_used` after, `unknown` for a
   * token this simulator never handed out as an admission
   */
  book(admission: string): Promise<'booked' | 'admission_used' | 'unknown'>;
  /** Changes room settings without forgetting issued tickets (used by scenarios' `apply`). */
  configure(options: QueueSimulatorOptions): Promise<void>;
  /** Ends every injected failure: fault queue, failure rate, latency, offline, refusals, speed. */
  clearFaults(): void;
  /** Every request seen, oldest first (a live array). */
  readonly requests: readonly RecordedRequest[];
  /** Empties {@link QueueSimulator.requests}. */
  clearRequests(): void;
  /** The room's counters now (after admission control caught up with the clock). */
  snapshot(): Promise<QueueSimulatorSnapshot>;
  /** A new server from the creation options: forgets tickets, admissions, requests and faults. */
  reset(): Promise<void>;
}
