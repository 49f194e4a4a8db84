/**
 * The reference queue server running inside the page (or a Node test), with controls to move
 * the line and to inject the failures a real crowd meets (overload, flaky and slow networks,
 * refused tickets, expired admissions).
 *
 * Every answer comes from the real server (`createQueueApp` over `createQueueService` and an
 * in-memory store, see `simulated-server.ts`), with real signed tokens. What the simulator adds
 * is only what a simulation needs: a clock it can speed up and move, the admin operations as
 * method calls, and faults applied around the server (before or after it answers). Mocks are
 * never for production: their signing key is made on the spot and thrown away.
 */
import type { AdmissionClaims } from '../protocol.js';
import { AdmissionError } from '../verify/index.js';
import { createSimulatedClock } from './simulated-clock.js';
import { createFaultInjection } from './fault-injection.js';
import { faultResponse, networkError, untilAborted } from './simulated-fault.js';
import {
  createSimulatedServer,
  issueUpTo,
  roomConfigOf,
  type SimulatedServer,
} from './simulated-server.js';
import { realSleep, settingsFrom } from './simulator-settings.js';
import type { QueueSimulator, QueueSimulatorOptions, RecordedRequest } from './simulator-types.js';
import { absolute, admissionOf, atServerPath, joinAhead, replayable } from './server-requests.js';
import { isJoin, presentedTicket, refuseTicket, type TicketRefusal } from './ticket-refusal.js';

export type { Fault } from './simulated-fault.js';
export type {
  QueueSimulator,
  QueueSimulatorOptions,
  QueueSimulatorSnapshot,
  RecordedRequest,
  RejectTicketsOptions,
} from './simulator-types.js';

/**
 * Creates the reference server for one room, with controls.
 *
 * `ratePerSec` becomes the room's `admitPerMinute`: the server's own admission control moves
 * the line, once per simulated second. Answers report the rate the server measures.
 *
 * @param options - room settings, injected clock, randomness and sleep
 * @returns the simulator; hand `simulator.fetch` to the core or `createHandlers(simulator)` to MSW
 * @example
 * ```ts
 * let now = Date.parse('2026-05-01T09:00:00Z');
 * const sim = createQueueSimulator({ issued: 40, serving: 10, now: () => now });
 * const response = await sim.fetch('https://queue.test/rooms/demo/join', {
 *   method: 'POST',
 *   headers: { 'Content-Type': 'application/json' },
 *   body: '{}',
 * });
 * const { seq, position } = await response.json(); // 41, 31
 * await sim.advance(31); // now the visitor may claim admission
 * sim.failNext(2, { kind: 'status', status: 503, retryAfterSeconds: 5 });
 * now += 1000;
 * ```
 */
export function createQueueSimulator(options: QueueSimulatorOptions = {}): QueueSimulator {
  const clock = createSimulatedClock(options.now ?? (() => Date.now()));
  let random = options.random ?? Math.random;
  let sleep = options.sleep ?? realSleep;
  let settings = settingsFrom(options);
  // Where the line was asked to stand, which may be beyond the places handed out so far.
  let servingAhead = settings.serving;
  let server: SimulatedServer;
  // Admissions handed out (token → claims): what `book` accepts.
  let admissions = new Map<string, AdmissionClaims>();
  const faults = createFaultInjection();
  let refusal: TicketRefusal | null = null;
  let refusalUntilRejoin = false;
  let refusalSent = false;
  const log: RecordedRequest[] = [];

  const startServer = (): SimulatedServer =>
    createSimulatedServer(
      {
        clock,
        issuer: options.issuer ?? 'queue-gate-mock',
        ticketTtlSeconds: options.ticketTtlSeconds ?? 86_400,
        admissionTtlSeconds: () => settings.admissionTtlSeconds,
      },
      settings,
    );

  /** A control that may be awaited or not: an ignored failure is reported, not unhandled. */
  const control = (work: Promise<unknown>): Promise<void> => {
    const done = work.then(() => undefined);
    done.catch((error: unknown) => console.error('queue-gate mocks: a control failed', error));
    return done;
  };

  function clearFaults(): void {
    faults.clear();
    refusal = null;
    clock.setSpeed(1);
  }

  /** The server's answer, with a ticket refusal applied on the way in. */
  async function serve(request: Request, ticket: string | undefined): Promise<Response> {
    let forwarded: Request = request;
    if (ticket === undefined && refusalUntilRejoin && refusalSent && request.method === 'POST') {
      if (new URL(request.url).pathname.endsWith('/join')) refusal = null;
    }
    if (refusal !== null && ticket !== undefined) {
      refusalSent = true;
      const refused = await refuseTicket(request, ticket, refusal);
      if (refused instanceof Response) return refused;
      forwarded = refused;
    }
    let response: Response;
    // A join is replayed by `joinAhead`, so its body is read once into copies (see `replayable`).
    if (isJoin(forwarded)) {
      const copyOf = await replayable(forwarded);
      const answer = await server.fetch(atServerPath(copyOf()));
      response = await joinAhead(server, copyOf(), answer, servingAhead);
    } else {
      response = await server.fetch(atServerPath(forwarded));
    }
    const admission = await admissionOf(request, response);
    if (admission) admissions.set(...admission);
    return response;
  }

  async function record(request: Request): Promise<{ entry: RecordedRequest; ticket?: string }> {
    const path = new URL(request.url).pathname;
    const entry: RecordedRequest = { method: request.method.toUpperCase(), path, at: clock.now() };
    const ticket = await presentedTicket(request);
    if (ticket !== undefined) entry.ticket = ticket;
    log.push(entry);
    return ticket === undefined ? { entry } : { entry, ticket };
  }

  async function handle(request: Request): Promise<Response> {
    const { entry, ticket } = await record(request);
    const response = await serve(request, ticket);
    entry.status = response.status;
    return response;
  }

  async function dispatch(request: Request): Promise<Response> {
    const { entry, ticket } = await untilAborted(record(request), request.signal);
    if (faults.offline) throw networkError();
    if (faults.latencyMs > 0) await untilAborted(sleep(faults.latencyMs), request.signal);
    const fault = faults.next(random);
    const response = fault
      ? await faultResponse(fault, request, () => serve(request, ticket))
      : await serve(request, ticket);
    entry.status = response.status;
    return response;
  }

  const simulatedFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    try {
      const request =
        input instanceof Request ? new Request(input, init) : new Request(absolute(input), init);
      return dispatch(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }) as typeof fetch;

  function configure(next: QueueSimulatorOptions): Promise<void> {
    const { room: _fixed, ...changes } = next;
    if (next.sleep) sleep = next.sleep;
    if (next.random) random = next.random;
    settings = { ...settings, ...settingsFrom({ ...settings, ...changes }) };
    return control(
      server.run(async (parts) => {
        await parts.service.putRoom(parts.room, roomConfigOf(settings));
        if (next.issued !== undefined) await issueUpTo(parts, next.issued, parts.now());
        if (next.serving !== undefined) {
          servingAhead = settings.serving;
          await parts.store.advanceServing(parts.room, settings.serving, parts.now());
        }
        if (next.status !== undefined) await parts.service.setStatus(parts.room, next.status);
      }),
    );
  }

  server = startServer();

  return {
    handle,
    dispatch,
    fetch: simulatedFetch,
    advance(by) {
      if (!(by >= 1)) return Promise.resolve();
      return control(
        server.run(async (parts) => {
          const record = await parts.store.getRoom(parts.room);
          servingAhead = Math.max(servingAhead, (record?.serving ?? 0) + Math.floor(by));
          await parts.service.advance(parts.room, Math.floor(by));
        }),
      );
    },
    setStatus(status) {
      settings = { ...settings, status };
      return control(server.run((parts) => parts.service.setStatus(parts.room, status)));
    },
    setRate(ratePerSec) {
      return configure({ ratePerSec });
    },
    setSpeed(multiplier) {
      clock.setSpeed(multiplier);
    },
    skipTime(ms) {
      clock.skip(ms);
    },
    now: () => clock.now(),
    failNext: (count, fault) => faults.failNext(count, fault),
    setFailureRate: (share, fault) => faults.setFailureRate(share, fault),
    setLatency: (ms) => faults.setLatency(ms),
    setOffline: (next) => faults.setOffline(next),
    rejectTickets(code, rejectOptions = {}) {
      refusal = code;
      refusalUntilRejoin = rejectOptions.untilRejoin ?? false;
      refusalSent = false;
    },
    expireAdmissions() {
      clock.skip(settings.admissionTtlSeconds * 1000 + 1000);
    },
    async book(admission) {
      const claims = admissions.get(admission);
      if (claims === undefined) return 'unknown';
      return server.run(async (parts) => {
        try {
          await parts.service.book(claims);
          return 'booked' as const;
        } catch (error) {
          if (error instanceof AdmissionError) return 'admission_used' as const;
          throw error;
        }
      });
    },
    configure,
    clearFaults,
    get requests() {
      return log;
    },
    clearRequests() {
      log.length = 0;
    },
    snapshot() {
      return server.run(async (parts) => {
        const record = await parts.store.getRoom(parts.room);
        if (!record) throw new Error(`queue-gate mocks: room "${parts.room}" is gone.`);
        return {
          serving: record.serving,
          issued: record.issued,
          status: record.status,
          ratePerSec: record.config.admitPerMinute / 60,
          speed: clock.speed,
        };
      });
    },
    async reset() {
      settings = settingsFrom(options);
      random = options.random ?? Math.random;
      sleep = options.sleep ?? realSleep;
      servingAhead = settings.serving;
      admissions = new Map();
      log.length = 0;
      clearFaults();
      clock.reset();
      server = startServer();
      await server.run(async () => undefined);
    },
  };
}
