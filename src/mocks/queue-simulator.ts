/**
 * A protocol-faithful fake queue server that runs inside the page (or a Node test): the same
 * paths, shapes, headers and error codes as the reference server, with controls to move the
 * line and to inject the failures a real crowd meets (overload, flaky and slow networks,
 * refused tickets, expired admissions).
 *
 * Tokens are JWT-shaped but unsigned (see `mock-token.ts`): the simulator trusts exactly the
 * strings it issued. Mocks are never for production.
 */
import {
  LIMITS,
  TOKEN_TYPES,
  isValidRoomId,
  pollIntervalFor,
  type AdmissionClaims,
  type AdmitResponse,
  type ErrorCode,
  type JoinResponse,
  type RoomStatus,
  type StateResponse,
  type TicketClaims,
} from '../protocol.js';
import { createLineMotion, type LineMotion } from './line-motion.js';
import { emptyResponse, errorResponse, jsonResponse } from './mock-responses.js';
import { decodeMockToken, encodeMockToken } from './mock-token.js';
import { readJsonBody } from './read-json-body.js';
import {
  DEFAULT_FAILURE,
  faultResponse,
  networkError,
  untilAborted,
  type Fault,
} from './simulated-fault.js';

export type { Fault } from './simulated-fault.js';

/** Settings of a simulated room. Every field has a default; see each. */
export interface QueueSimulatorOptions {
  /** The only room served; default `'demo'`. Requests for other rooms answer 404 `room_not_found`. */
  room?: string;
  /** Highest seq allowed to claim admission at the start; default 0. */
  serving?: number;
  /** Highest seq handed out at the start; default 0 (the next join gets `issued + 1`). */
  issued?: number;
  /** Places per second `serving` grows with the clock; default 0 (moves only by `advance()`). */
  ratePerSec?: number;
  /** Base poll interval of state answers; default 2000. Join answers scale it with `pollIntervalFor`. */
  pollAfterMs?: number;
  /** Room status; default `'open'`. */
  status?: RoomStatus;
  /** How long after their turn a visitor may still claim admission; default 600 s. */
  holdSeconds?: number;
  /** Lifetime of a ticket; default 86400 s. */
  ticketTtlSeconds?: number;
  /** Lifetime of an admission; default 120 s. */
  admissionTtlSeconds?: number;
  /** Scheduled opening (epoch ms) reported by state answers; default none. */
  opensAt?: number;
  /** `iss` of the tokens; default `'queue-gate-mock'`. */
  issuer?: string;
  /** `aud` of admissions; default `'queue-gate-demo'`. */
  audience?: string;
  /** Injected clock (epoch ms); default `Date.now`. */
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
  /** The configured rate (before `setSpeed`); answers report `ratePerSec * speed` while open. */
  ratePerSec: number;
  /** The `setSpeed` multiplier. */
  speed: number;
}

/** A fake queue server with controls. Create one with {@link createQueueSimulator}. */
export interface QueueSimulator {
  /** The whole protocol as a function (no faults, latency or offline): records and answers. */
  handle(request: Request): Promise<Response>;
  /**
   * The protocol with faults, latency and offline applied: rejects with a `TypeError` for
   * network failures and never settles for hangs (unless the request's signal aborts). MSW
   * handlers and {@link QueueSimulator.fetch} both go through it.
   */
  dispatch(request: Request): Promise<Response>;
  /** fetch-compatible wrapper around `dispatch()`, for injection into the core. */
  readonly fetch: typeof fetch;
  /** Moves `serving` forward by `by` places at once (not capped by `issued`). */
  advance(by: number): void;
  /** Opens, pauses or closes the room; the line moves only while open. */
  setStatus(status: RoomStatus): void;
  /** Places per second `serving` grows with the clock from now on (0 stops it). */
  setRate(ratePerSec: number): void;
  /** Multiplies rate-driven movement (and the reported rate): "speed up time" for the demo. */
  setSpeed(multiplier: number): void;
  /** The next `count` requests fail with `fault`. */
  failNext(count: number, fault: Fault): void;
  /** A share (0..1) of requests fail with `fault` (default a 502), decided by the injected random. */
  setFailureRate(share: number, fault?: Fault): void;
  /** Delays every answer by `ms` (through the injected `sleep`). */
  setLatency(ms: number): void;
  /** While offline, every request rejects like a network error. */
  setOffline(offline: boolean): void;
  /** Every ticket presented is refused with 401 and `code`; `null` stops refusing. */
  rejectTickets(
    code: 'token_expired' | 'token_bad_signature' | null,
    options?: RejectTicketsOptions,
  ): void;
  /** Outstanding admissions are forgotten, so the next admit issues a fresh one (or `hold_expired`). */
  expireAdmissions(): void;
  /**
   * Books with `admission`, as a booking backend would: each place books once, and afterwards
   * claiming admission for it answers `409 admission_used`, like the reference server.
   *
   * @returns `booked` the first time for the place, `admission_used` after, `unknown` for a
   * token this simulator never issued as an admission
   */
  book(admission: string): 'booked' | 'admission_used' | 'unknown';
  /** Changes room settings without forgetting issued tickets (used by scenarios' `apply`). */
  configure(options: QueueSimulatorOptions): void;
  /** Ends every injected failure: fault queue, failure rate, latency, offline, refusals, speed. */
  clearFaults(): void;
  /** Every request seen, oldest first (a live array). */
  readonly requests: readonly RecordedRequest[];
  /** Empties {@link QueueSimulator.requests}. */
  clearRequests(): void;
  /** The counters now (rate-driven movement brought up to the clock first). */
  snapshot(): QueueSimulatorSnapshot;
  /** Back to the creation options: forgets tickets, admissions, requests and faults. */
  reset(): void;
}

interface TicketRecord {
  claims: TicketClaims;
  issuedAt: number;
}

interface AdmissionRecord {
  token: string;
  expiresAt: number;
  /** The visitor holding the place: only their claim gets this admission back. */
  sub: string;
}

/** A ticket is refreshed when this much of its life, or an hour if less, is left. */
const REFRESH_SHARE = 1 / 4;
const REFRESH_MAX_MS = 60 * 60 * 1000;

type Settings = Required<Omit<QueueSimulatorOptions, 'opensAt'>> & { opensAt?: number };

type TicketCheck = { ok: true; record: TicketRecord } | { ok: false; response: Response };

const ROUTE = /\/rooms\/([^/]+)\/(join|state|admit)$/;

/**
 * `Cache-Control` of state answers, as the reference server sends it: the answer is the same for
 * every visitor, so a CDN may serve it for a second and revalidate in the background.
 */
const STATE_CACHE_CONTROL = 'public, max-age=1, s-maxage=1, stale-while-revalidate=5';

function settingsFrom(options: QueueSimulatorOptions): Settings {
  return {
    room: options.room ?? 'demo',
    serving: options.serving ?? 0,
    issued: options.issued ?? 0,
    ratePerSec: options.ratePerSec ?? 0,
    pollAfterMs: options.pollAfterMs ?? 2000,
    status: options.status ?? 'open',
    holdSeconds: options.holdSeconds ?? 600,
    ticketTtlSeconds: options.ticketTtlSeconds ?? 86400,
    admissionTtlSeconds: options.admissionTtlSeconds ?? 120,
    opensAt: options.opensAt,
    issuer: options.issuer ?? 'queue-gate-mock',
    audience: options.audience ?? 'queue-gate-demo',
    now: options.now ?? (() => Date.now()),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

function bearerOf(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '');
  return match ? match[1] : undefined;
}

function refuse(code: ErrorCode, message: string): TicketCheck {
  return { ok: false, response: errorResponse(401, code, message) };
}

function notAllowed(allow: string): Response {
  return errorResponse(405, 'method_not_allowed', `Use ${allow}.`, { Allow: allow });
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === '*' || value === bare;
  });
}

/** Resolves a relative URL the way a page would, with a fixed origin where there is no page. */
function absolute(input: string | URL): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return new URL(String(input), base ?? 'http://queue-gate.mock').href;
}

/** The ticket a request presents (bearer, or a join body's `ticket`), for the request log. */
async function presentedTicket(request: Request, path: string): Promise<string | undefined> {
  const bearer = bearerOf(request);
  if (bearer !== undefined || request.method.toUpperCase() !== 'POST' || !path.endsWith('/join')) {
    return bearer;
  }
  try {
    const body: unknown = JSON.parse(await request.clone().text());
    const ticket = (body as { ticket?: unknown } | null)?.ticket;
    return typeof ticket === 'string' ? ticket : undefined;
  } catch {
    // A body that is not JSON carries no ticket; the protocol answers it with 400.
    return undefined;
  }
}

/**
 * Creates a simulated queue server for one room.
 *
 * `serving` moves only while the room is open: by `advance()`, or by `ratePerSec × speed` with
 * the injected clock, up to `issued` (an empty line banks no capacity). Answers report that
 * effective rate (0 unless open).
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
 * sim.advance(31); // now the visitor may claim admission
 * sim.failNext(2, { kind: 'status', status: 503, retryAfterSeconds: 5 });
 * now += 1000;
 * ```
 */
export function createQueueSimulator(options: QueueSimulatorOptions = {}): QueueSimulator {
  let settings = settingsFrom(options);
  let line: LineMotion = createLineMotion(0, 0);
  let issued = 0;
  let status: RoomStatus = 'open';
  let rate = 0;
  let speed = 1;
  let tickets = new Map<string, TicketRecord>();
  // Per place (seq), like the reference server: a refreshed ticket claims the same admission.
  let admissions = new Map<number, AdmissionRecord>();
  // Every admission issued, with its place: to refuse one presented as a ticket, and to book.
  let admissionTokens = new Map<string, number>();
  let bookedPlaces = new Set<number>();
  let faultQueue: Fault[] = [];
  let failureShare = 0;
  let failureFault: Fault = DEFAULT_FAILURE;
  let latencyMs = 0;
  let offline = false;
  let refusal: 'token_expired' | 'token_bad_signature' | null = null;
  let refusalUntilRejoin = false;
  let refusalSent = false;
  let counter = 0;
  const log: RecordedRequest[] = [];

  const now = (): number => settings.now();
  const wireRate = (): number => (status === 'open' ? rate * speed : 0);

  /** Brings the line up to the clock; every read and every control change calls it first. */
  function sync(): number {
    line.catchUp(now(), wireRate(), issued);
    return line.serving;
  }

  function reset(): void {
    settings = settingsFrom(options);
    line = createLineMotion(now(), settings.serving);
    issued = Math.max(0, Math.floor(settings.issued));
    status = settings.status;
    rate = Math.max(0, settings.ratePerSec);
    tickets = new Map();
    admissions = new Map();
    admissionTokens = new Map();
    bookedPlaces = new Set();
    log.length = 0;
    clearFaults();
  }

  function clearFaults(): void {
    sync();
    faultQueue = [];
    failureShare = 0;
    failureFault = DEFAULT_FAILURE;
    latencyMs = 0;
    offline = false;
    refusal = null;
    speed = 1;
  }

  function configure(next: QueueSimulatorOptions): void {
    sync();
    settings = settingsFrom({ ...settings, ...next });
    if (next.serving !== undefined) line.set(now(), next.serving);
    if (next.issued !== undefined) issued = Math.max(0, Math.floor(next.issued));
    if (next.status !== undefined) status = next.status;
    if (next.ratePerSec !== undefined) rate = Math.max(0, next.ratePerSec);
  }

  // Nonces come from crypto, not from the injected `random`: a test that scripts which
  // requests fail must not see its draws consumed by token minting.
  function nonce(): string {
    counter += 1;
    const [high, low] = globalThis.crypto.getRandomValues(new Uint32Array(2));
    return `${counter}.${high.toString(36)}${low.toString(36)}`;
  }

  function checkTicket(token: string): TicketCheck {
    if (refusal) {
      refusalSent = true;
      return refuse(refusal, 'The simulator refuses every ticket (rejectTickets).');
    }
    if (token.length > LIMITS.maxTokenLength) return refuse('token_too_large', 'Token too large.');
    if (admissionTokens.has(token))
      return refuse('token_wrong_type', 'An admission is not a ticket.');
    if (!decodeMockToken(token)) return refuse('token_malformed', 'The ticket is not a JWT.');
    const record = tickets.get(token);
    if (!record) return refuse('token_bad_signature', 'The ticket was not issued by this server.');
    if (record.claims.room !== settings.room) {
      return refuse('token_wrong_room', 'The ticket is for another room.');
    }
    if (now() >= record.claims.exp * 1000) return refuse('token_expired', 'The ticket expired.');
    return { ok: true, record };
  }

  function signTicket(
    base: Pick<TicketClaims, 'sub' | 'seq'>,
    issuedAt: number,
  ): { ticket: string; record: TicketRecord } {
    const iat = Math.floor(now() / 1000);
    const claims: TicketClaims = {
      iss: settings.issuer,
      sub: base.sub,
      room: settings.room,
      seq: base.seq,
      iat,
      exp: iat + settings.ticketTtlSeconds,
    };
    const ticket = encodeMockToken(TOKEN_TYPES.ticket, claims, nonce());
    const record: TicketRecord = { claims, issuedAt };
    tickets.set(ticket, record);
    return { ticket, record };
  }

  function issueTicket(): { ticket: string; record: TicketRecord } {
    issued += 1;
    return signTicket({ sub: `visitor-${nonce()}`, seq: issued }, now());
  }

  /**
   * The ticket to answer a rejoin with: the same one, or, once little of its life is left, a
   * new one for the same place (same `sub` and `seq`, a later `exp`; the place's join time
   * is kept, so the hold is counted as before). The old ticket stays valid until its own exp.
   */
  function refreshed(
    ticket: string,
    record: TicketRecord,
  ): { ticket: string; record: TicketRecord } {
    const { iat, exp } = record.claims;
    const lifeMs = (exp - iat) * 1000;
    const leftMs = exp * 1000 - now();
    if (leftMs >= Math.min(lifeMs * REFRESH_SHARE, REFRESH_MAX_MS)) return { ticket, record };
    return signTicket(record.claims, record.issuedAt);
  }

  function joinAnswer(ticket: string, record: TicketRecord): Response {
    const serving = sync();
    const position = Math.max(0, record.claims.seq - serving);
    const body: JoinResponse = {
      ticket,
      seq: record.claims.seq,
      serving,
      position,
      ratePerSec: wireRate(),
      pollAfterMs: pollIntervalFor(position, wireRate(), settings.pollAfterMs),
      ticketExpiresAt: record.claims.exp * 1000,
      holdSeconds: settings.holdSeconds,
      status,
      serverTime: now(),
    };
    return jsonResponse(200, body);
  }

  async function join(request: Request): Promise<Response> {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const presented = body.value.ticket;
    if (presented !== undefined) {
      if (typeof presented !== 'string' || presented === '') {
        return errorResponse(400, 'invalid_body', '"ticket" must be a string when given.');
      }
      const check = checkTicket(presented);
      if (!check.ok) return check.response;
      // The same place, never a new one, whatever the status: a reload must not cost the line.
      const kept = refreshed(presented, check.record);
      return joinAnswer(kept.ticket, kept.record);
    }
    if (status === 'closed') return errorResponse(403, 'room_closed', 'The room is closed.');
    if (refusalUntilRejoin && refusalSent) refusal = null;
    sync();
    const { ticket, record } = issueTicket();
    return joinAnswer(ticket, record);
  }

  function state(request: Request): Response {
    const serving = sync();
    const body: StateResponse = {
      status,
      serving,
      issued,
      ratePerSec: wireRate(),
      pollAfterMs: settings.pollAfterMs,
      ...(settings.opensAt !== undefined ? { opensAt: settings.opensAt } : {}),
      updatedAt: now(),
    };
    // Weak: `updatedAt` differs between equal snapshots, which a weak validator allows.
    const etag = `W/"${[status, serving, issued, body.ratePerSec, body.pollAfterMs, body.opensAt ?? ''].join('-')}"`;
    const headers = { 'Cache-Control': STATE_CACHE_CONTROL, ETag: etag };
    if (matchesEtag(request.headers.get('If-None-Match'), etag)) {
      return emptyResponse(304, headers);
    }
    return jsonResponse(200, body, headers);
  }

  function admit(request: Request): Response {
    const token = bearerOf(request);
    if (token === undefined) {
      return request.headers.has('Authorization')
        ? errorResponse(401, 'token_malformed', 'Use "Authorization: Bearer <ticket>".')
        : errorResponse(401, 'token_missing', 'Send the ticket as "Authorization: Bearer".');
    }
    const check = checkTicket(token);
    if (!check.ok) return check.response;
    const { claims, issuedAt } = check.record;
    const at = now();
    if (status === 'closed') return errorResponse(403, 'room_closed', 'The room is closed.');
    if (bookedPlaces.has(claims.seq)) {
      return errorResponse(409, 'admission_used', 'This place has already been used to book.');
    }
    const held = admissions.get(claims.seq);
    // Idempotent while the admission lives: a lost answer (or a reload that asks the server to
    // confirm the admission it kept) gets the very same admission back.
    if (held && at < held.expiresAt && held.sub === claims.sub) {
      return jsonResponse(200, {
        admission: held.token,
        expiresAt: held.expiresAt,
        serverTime: at,
      } satisfies AdmitResponse);
    }
    sync();
    const reached = line.turnAt(claims.seq);
    // Like the reference server: a pause stops the line, not visitors whose turn already came.
    if (reached === null && status === 'paused') {
      return errorResponse(409, 'room_paused', 'The room is paused.');
    }
    if (reached === null) return errorResponse(409, 'not_your_turn', 'Your turn has not come yet.');
    const turn = Math.max(reached, issuedAt);
    if (at > turn + settings.holdSeconds * 1000) {
      return errorResponse(410, 'hold_expired', 'Your turn passed longer ago than the hold.');
    }
    const iat = Math.floor(at / 1000);
    const exp = iat + settings.admissionTtlSeconds;
    const admissionClaims: AdmissionClaims = {
      iss: settings.issuer,
      sub: claims.sub,
      room: claims.room,
      seq: claims.seq,
      aud: settings.audience,
      jti: `adm-${nonce()}`,
      iat,
      exp,
      // As the reference server: no admission for the place is signed after its hold ends.
      placeExp: Math.max(
        Math.floor((turn + settings.holdSeconds * 1000) / 1000) + settings.admissionTtlSeconds,
        exp,
      ),
    };
    const admission = encodeMockToken(TOKEN_TYPES.admission, admissionClaims, nonce());
    const record: AdmissionRecord = {
      token: admission,
      expiresAt: admissionClaims.exp * 1000,
      sub: claims.sub,
    };
    admissions.set(claims.seq, record);
    admissionTokens.set(admission, claims.seq);
    return jsonResponse(200, {
      admission,
      expiresAt: record.expiresAt,
      serverTime: now(),
    } satisfies AdmitResponse);
  }

  async function protocol(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const method = request.method.toUpperCase();
    if (pathname.endsWith('/.well-known/jwks.json')) {
      if (method !== 'GET') return notAllowed('GET');
      // The mock signs nothing, so there is no key to publish.
      return jsonResponse(200, { keys: [] }, { 'Cache-Control': 'public, max-age=300' });
    }
    if (pathname.endsWith('/healthz')) return jsonResponse(200, { status: 'ok' });
    const match = ROUTE.exec(pathname);
    if (!match) return errorResponse(404, 'not_found', 'No such endpoint.');
    const [, rawRoom, action] = match;
    const expected = action === 'state' ? 'GET' : 'POST';
    if (method === 'OPTIONS') {
      return emptyResponse(204, {
        'Access-Control-Allow-Methods': `${expected}, OPTIONS`,
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match',
        'Access-Control-Max-Age': '600',
      });
    }
    if (method !== expected && !(expected === 'GET' && method === 'HEAD')) {
      return notAllowed(expected);
    }
    let room = '';
    try {
      room = decodeURIComponent(rawRoom);
    } catch {
      // Left empty: refused as an invalid id just below.
    }
    if (!isValidRoomId(room)) {
      return errorResponse(400, 'invalid_room_id', 'The room id is not valid.');
    }
    if (room !== settings.room) return errorResponse(404, 'room_not_found', `No room "${room}".`);
    if (action === 'join') return join(request);
    if (action === 'admit') return admit(request);
    return state(request);
  }

  async function record(request: Request): Promise<RecordedRequest> {
    const path = new URL(request.url).pathname;
    const entry: RecordedRequest = { method: request.method.toUpperCase(), path, at: now() };
    const ticket = await presentedTicket(request, path);
    if (ticket !== undefined) entry.ticket = ticket;
    log.push(entry);
    return entry;
  }

  function nextFault(): Fault | null {
    const queued = faultQueue.shift();
    if (queued) return queued;
    if (failureShare > 0 && settings.random() < failureShare) return failureFault;
    return null;
  }

  async function handle(request: Request): Promise<Response> {
    const entry = await record(request);
    const response = await protocol(request);
    entry.status = response.status;
    return response;
  }

  async function dispatch(request: Request): Promise<Response> {
    const entry = await untilAborted(record(request), request.signal);
    if (offline) throw networkError();
    if (latencyMs > 0) await untilAborted(settings.sleep(latencyMs), request.signal);
    const fault = nextFault();
    const response = fault
      ? await faultResponse(fault, request, () => protocol(request))
      : await protocol(request);
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

  reset();

  return {
    handle,
    dispatch,
    fetch: simulatedFetch,
    advance(by) {
      sync();
      line.jump(now(), by);
    },
    setStatus(next) {
      sync();
      status = next;
    },
    setRate(next) {
      sync();
      rate = Math.max(0, next);
    },
    setSpeed(multiplier) {
      sync();
      speed = Math.max(0, multiplier);
    },
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faultQueue.push(fault);
    },
    setFailureRate(share, fault = DEFAULT_FAILURE) {
      failureShare = Math.min(1, Math.max(0, share));
      failureFault = fault;
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    setOffline(next) {
      offline = next;
    },
    rejectTickets(code, rejectOptions = {}) {
      refusal = code;
      refusalUntilRejoin = rejectOptions.untilRejoin ?? false;
      refusalSent = false;
    },
    expireAdmissions() {
      admissions.clear();
    },
    book(admission) {
      const seq = admissionTokens.get(admission);
      if (seq === undefined) return 'unknown';
      if (bookedPlaces.has(seq)) return 'admission_used';
      bookedPlaces.add(seq);
      return 'booked';
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
      const serving = sync();
      return { serving, issued, status, ratePerSec: rate, speed };
    },
    reset,
  };
}
