/**
 * CORS for a booking backend on another origin than the site's pages, shared by the admission
 * middlewares (`cors` option).
 *
 * Why the middlewares need it: `gate.fetch` sends the admission as `Authorization: Bearer`, and
 * a cross-origin request with that header makes the browser send a preflight (`OPTIONS`) first.
 * Without an answer, the booking request is never sent; without CORS headers on the answer, a
 * refusal such as `409 admission_used` cannot be read by the page.
 *
 * What it does not do: refuse requests by origin. A booking form posted from another origin is
 * a navigation, not CORS, and carries an `Origin` too; the admission is the access control.
 * CORS only decides which pages may read the answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** The `cors` option of `requireAdmission` and `queueAdmission`. */
export interface AdmissionCorsOptions {
  /**
   * Origins whose pages may call the guarded routes, e.g. `['https://shop.example']` (scheme,
   * host and port; no path), or `['*']` for any page (not with `credentials`).
   */
  origins: readonly string[];
  /**
   * Let pages send cookies (`fetch(…, { credentials: 'include' })`), e.g. when the `identity`
   * option reads the site's session: answers carry `Access-Control-Allow-Credentials: true`.
   * Default false.
   */
  credentials?: boolean;
  /** Request headers pages may send besides `Authorization` and `Content-Type`. */
  allowHeaders?: readonly string[];
  /** Answer headers pages may read besides `Retry-After`, e.g. `['Location']`. */
  exposeHeaders?: readonly string[];
  /** How long a browser may reuse a preflight answer, in seconds (default 600). */
  maxAgeSec?: number;
}

/** A preflight's answer: no body, this status and these headers. */
export interface PreflightAnswer {
  status: 204 | 403;
  headers: Record<string, string>;
}

/** The CORS policy of one middleware. */
export interface AdmissionCors {
  /**
   * The answer to a CORS preflight, or null when the request is not one (then it goes on to
   * the admission check). A preflight from an origin not listed gets a 403 without CORS
   * headers, so the browser never sends the request.
   */
  preflight(request: CorsRequest): PreflightAnswer | null;
  /** Headers for any other answer to `origin`, refusals included (only `Vary` when not listed). */
  answerHeaders(origin: string | undefined): Record<string, string>;
}

/** What the policy reads of a request. */
export interface CorsRequest {
  method: string;
  origin: string | undefined;
  /** The `Access-Control-Request-Method` header, which only a preflight carries. */
  requestMethod: string | undefined;
}

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const BASE_ALLOW_HEADERS = ['Authorization', 'Content-Type'];
const BASE_EXPOSE_HEADERS = ['Retry-After'];

function checkedOrigin(value: unknown): string {
  if (value === '*') return value;
  let parsed: URL | null = null;
  try {
    parsed = typeof value === 'string' ? new URL(value) : null;
  } catch {
    parsed = null;
  }
  if (parsed === null || parsed.origin !== value) {
    throw new TypeError(
      `cors.origins must list origins like "https://shop.example" (no path, no trailing slash), or "*"; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * Makes the CORS policy of an admission middleware.
 *
 * @throws TypeError for an empty or malformed `origins`, or `'*'` with `credentials`
 * @example
 * ```ts
 * const cors = admissionCors({ origins: ['https://shop.example'] });
 * cors.answerHeaders('https://shop.example'); // { 'Access-Control-Allow-Origin': …, Vary: 'Origin', … }
 * ```
 */
export function admissionCors(options: AdmissionCorsOptions): AdmissionCors {
  if (!Array.isArray(options.origins) || options.origins.length === 0) {
    throw new TypeError('cors.origins must list at least one origin.');
  }
  const origins = new Set(options.origins.map(checkedOrigin));
  const anyOrigin = origins.has('*');
  const credentials = options.credentials === true;
  // A browser refuses `*` with credentials; failing here says so before the first visitor.
  if (anyOrigin && credentials) {
    throw new TypeError('cors.origins cannot be "*" with credentials: list the origins.');
  }
  const shared: Record<string, string> = credentials
    ? { 'Access-Control-Allow-Credentials': 'true' }
    : {};
  const allowHeaders = [...BASE_ALLOW_HEADERS, ...(options.allowHeaders ?? [])].join(', ');
  const exposeHeaders = [...BASE_EXPOSE_HEADERS, ...(options.exposeHeaders ?? [])].join(', ');
  const maxAge = String(options.maxAgeSec ?? 600);
  // With `*` the answer is the same for every origin, so caches need not keep one per origin.
  const vary: Record<string, string> = anyOrigin ? {} : { Vary: 'Origin' };

  const allowOriginFor = (origin: string | undefined): string | null => {
    if (origin === undefined) return null;
    if (anyOrigin) return '*';
    return origins.has(origin) ? origin : null;
  };

  return {
    preflight({ method, origin, requestMethod }) {
      if (method !== 'OPTIONS' || origin === undefined || requestMethod === undefined) return null;
      const allowOrigin = allowOriginFor(origin);
      if (allowOrigin === null) return { status: 403, headers: { ...vary } };
      return {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': allowOrigin,
          'Access-Control-Allow-Methods': ALLOW_METHODS,
          'Access-Control-Allow-Headers': allowHeaders,
          'Access-Control-Max-Age': maxAge,
          ...shared,
          ...vary,
        },
      };
    },
    answerHeaders(origin) {
      const allowOrigin = allowOriginFor(origin);
      if (allowOrigin === null) return { ...vary };
      return {
        'Access-Control-Allow-Origin': allowOrigin,
        'Access-Control-Expose-Headers': exposeHeaders,
        ...shared,
        ...vary,
      };
    },
  };
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `Vary` added to what a header already lists, never replacing it. */
function withVary(existing: string | undefined, value: string): string {
  if (!existing) return value;
  return existing.split(',').some((part) => part.trim().toLowerCase() === value.toLowerCase())
    ? existing
    : `${existing}, ${value}`;
}

/**
 * `requireAdmission`'s hook: answers a preflight, or sets the CORS headers on `res` before the
 * admission check so that its refusal and the route's own answer both carry them.
 *
 * @returns `'answered'` when the preflight was answered (nothing more to do)
 */
export function nodeCors(
  cors: AdmissionCors,
  req: IncomingMessage,
  res: ServerResponse,
): 'answered' | 'continue' {
  const origin = firstValue(req.headers.origin);
  const preflight = cors.preflight({
    method: req.method ?? '',
    origin,
    requestMethod: firstValue(req.headers['access-control-request-method']),
  });
  if (preflight) {
    res.writeHead(preflight.status, { ...preflight.headers, 'content-length': '0' }).end();
    return 'answered';
  }
  for (const [name, value] of Object.entries(cors.answerHeaders(origin))) {
    const current = res.getHeader(name);
    res.setHeader(name, name === 'Vary' ? withVary(current?.toString(), value) : value);
  }
  return 'continue';
}

/**
 * `queueAdmission`'s hook: the answer to a preflight, or null after setting the CORS headers on
 * `c.res` (Hono carries them over to the refusal and to the route's answer).
 */
export function honoCors(cors: AdmissionCors, c: Context): Response | null {
  const origin = c.req.header('origin');
  const preflight = cors.preflight({
    method: c.req.method,
    origin,
    requestMethod: c.req.header('access-control-request-method'),
  });
  if (preflight) return new Response(null, preflight);
  const headers = c.res.headers;
  for (const [name, value] of Object.entries(cors.answerHeaders(origin))) {
    headers.set(name, name === 'Vary' ? withVary(headers.get('Vary') ?? undefined, value) : value);
  }
  return null;
}
