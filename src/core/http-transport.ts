/**
 * The core's only door to the network: one function per endpoint, each with a timeout, each
 * answer validated and each failure classified (see `errors.ts`). Nothing here throws.
 */
import { PATHS } from '../protocol.js';
import type { AdmitResponse, JoinRequest, JoinResponse, StateResponse } from '../protocol.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import type { TransportFailure, TransportResult } from './errors.js';
import {
  JOIN_CHALLENGE_HEADER,
  JOIN_PROOF_HEADER,
  parsePowChallenge,
  solveJoinProof,
} from './join-proof.js';
import type { PowChallenge, SolveJoinProofOptions } from './join-proof.js';
import {
  parseAdmitResponse,
  parseErrorResponse,
  parseJoinResponse,
  parseStateResponse,
} from './response-parsers.js';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Base URL of the queue server, e.g. `https://queue.example.com` (a base path is kept). */
  endpoint: string;
  room: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Abort a request after this long (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** The visitor's cohort, sent with a first join in a room split into cohorts. */
  cohort?: string;
  /**
   * How a room's proof-of-work join challenge is solved (batch size, pause, attempt bound);
   * `false` never solves one, and a challenged join then fails like any other 403.
   */
  joinProof?: Omit<SolveJoinProofOptions, 'signal'> | false;
}

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the request (e.g. when the engine stops); the result is then a `network` failure. */
  signal?: AbortSignal;
}

/** Options of a join. */
export interface JoinOptions extends RequestOptions {
  /** The visitor's identity assertion (a JWT from the site), sent with the join when given. */
  identity?: string;
}

/** The three public endpoints of a room. */
export interface HttpTransport {
  join(ticket: string | null, options?: JoinOptions): Promise<TransportResult<JoinResponse>>;
  state(options?: RequestOptions): Promise<TransportResult<StateResponse>>;
  admit(ticket: string, options?: RequestOptions): Promise<TransportResult<AdmitResponse>>;
}

/** Default request timeout: long enough for a crowded origin, short enough to show trouble. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The longest `Retry-After` obeyed: half the default hold of a turn. A proxy's day-long value,
 * or an HTTP date read on a device clock hours behind, must not keep a visitor away until the
 * turn has passed.
 */
export const RETRY_AFTER_MAX_MS = 300_000;

/**
 * Parses `Retry-After` (delay-seconds or an HTTP date) into milliseconds from `now`, at most
 * {@link RETRY_AFTER_MAX_MS}.
 *
 * @returns null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  const date = Date.parse(trimmed);
  const ms = /^\d+$/.test(trimmed)
    ? Number(trimmed) * 1000
    : Number.isNaN(date)
      ? null
      : date - now;
  return ms === null ? null : Math.min(RETRY_AFTER_MAX_MS, Math.max(0, ms));
}

/**
 * Creates the transport for one room of one queue server.
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({ endpoint: 'https://queue.example.com', room: 'concert' });
 * const result = await transport.state();
 * if (result.ok) console.log(result.value.serving);
 * else console.log(result.failure.kind);
 * ```
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const base = options.endpoint.replace(/\/+$/, '');

  async function request<T>(
    path: string,
    init: RequestInit,
    parse: (body: unknown) => T | null,
    requestOptions: RequestOptions | undefined,
    onRefused?: (response: Response) => void,
  ): Promise<TransportResult<T>> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const outer = requestOptions?.signal;
    const abortFromOuter = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', abortFromOuter);
    const fail = (failure: TransportFailure): TransportResult<T> => ({ ok: false, failure });
    try {
      let response: Response;
      try {
        response = await doFetch(base + path, { ...init, signal: controller.signal });
      } catch {
        return timedOut
          ? fail({ kind: 'timeout', message: `No answer within ${timeoutMs} ms.` })
          : fail({ kind: 'network', message: 'The queue server could not be reached.' });
      }
      let body: unknown = undefined;
      let readable = true;
      try {
        const text = await response.text();
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        readable = false;
        if (timedOut)
          return fail({ kind: 'timeout', message: `No answer within ${timeoutMs} ms.` });
      }
      if (!response.ok) {
        onRefused?.(response);
        const error = readable ? parseErrorResponse(body) : null;
        return fail({
          kind: 'http',
          status: response.status,
          code: error?.code ?? null,
          message: error?.message || `The queue server answered ${response.status}.`,
          retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), clock.now()),
          ...(error?.opensAt !== undefined ? { opensAt: error.opensAt } : {}),
          ...(error?.identity ? { identity: true as const } : {}),
        });
      }
      const contentType = response.headers.get('Content-Type') ?? '';
      const value = readable && /json/i.test(contentType) ? parse(body) : null;
      if (value === null) {
        return fail({
          kind: 'bad_response',
          status: response.status,
          message: 'The queue server sent an answer this page cannot read.',
        });
      }
      return { ok: true, value };
    } finally {
      clock.clearTimeout(timer);
      outer?.removeEventListener('abort', abortFromOuter);
    }
  }

  const jsonPost = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });

  // The timestamp of the last proof sent: the next one is always later, so a proof the server
  // refused (or already used) is never sent again, even with a clock that stands still.
  let lastProofAt = -Infinity;

  async function joinWithProof(
    body: JoinRequest,
    challenge: PowChallenge,
    refused: TransportResult<JoinResponse>,
    requestOptions: RequestOptions | undefined,
  ): Promise<TransportResult<JoinResponse>> {
    if (options.joinProof === false) return refused;
    // Stamped with the server's clock when the challenge tells it: a device clock hours off
    // would otherwise make every proof fall outside the server's window.
    const timestamp = Math.max(Math.floor(challenge.serverNow ?? clock.now()), lastProofAt + 1);
    const proof = await solveJoinProof(options.room, challenge, timestamp, {
      ...options.joinProof,
      ...(requestOptions?.signal ? { signal: requestOptions.signal } : {}),
      // The solver's chunk did not load: refused, and the engine's backoff tries again later.
    }).catch(() => null);
    if (proof === null) return refused;
    lastProofAt = timestamp;
    const init = jsonPost(body);
    init.headers = { ...(init.headers as Record<string, string>), [JOIN_PROOF_HEADER]: proof };
    // One solved attempt only: if it is refused too, the engine's normal backoff takes over.
    return request(PATHS.join(options.room), init, parseJoinResponse, requestOptions);
  }

  return {
    async join(ticket, requestOptions) {
      // The cohort matters only for a new place: a ticket already carries it.
      const body: JoinRequest = ticket
        ? { ticket }
        : options.cohort !== undefined
          ? { cohort: options.cohort }
          : {};
      if (requestOptions?.identity) body.identity = requestOptions.identity;
      let challenge: PowChallenge | null = null;
      const result = await request(
        PATHS.join(options.room),
        jsonPost(body),
        parseJoinResponse,
        requestOptions,
        (response) => {
          if (response.status === 403)
            challenge = parsePowChallenge(response.headers.get(JOIN_CHALLENGE_HEADER));
        },
      );
      // A ticket holder is never challenged; a 403 for one is something else.
      if (result.ok || ticket || challenge === null) return result;
      return joinWithProof(body, challenge, result, requestOptions);
    },
    state(requestOptions) {
      // Only safelisted headers: a cross-origin GET then needs no preflight. `no-cache` makes
      // the browser revalidate its copy with the server's ETag every time instead of serving
      // it stale (`stale-while-revalidate` is meant for CDNs): a 304 costs the origin little,
      // and a dead server shows as reconnecting at once, not after seconds of cached "updates".
      return request(
        PATHS.state(options.room),
        { method: 'GET', cache: 'no-cache', headers: { Accept: 'application/json' } },
        parseStateResponse,
        requestOptions,
      );
    },
    admit(ticket, requestOptions) {
      const init = jsonPost({});
      init.headers = {
        ...(init.headers as Record<string, string>),
        Authorization: `Bearer ${ticket}`,
      };
      return request(PATHS.admit(options.room), init, parseAdmitResponse, requestOptions);
    },
  };
}
