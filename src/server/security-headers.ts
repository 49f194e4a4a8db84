/**
 * Security headers on every answer. Pages get a strict Content-Security-Policy (scripts from
 * this origin only, so the booking page works without inline scripts); API answers get a CSP
 * that allows nothing, since they are never meant to render.
 *
 * Why they are built into each answer rather than added by a middleware after the route:
 * `@hono/node-server` writes a response made from a plain header object straight to the socket,
 * but a header added afterwards turns it into a full web `Response` first, which cost more than
 * half of the `state` throughput. {@link securityHeaders} stays as a safety net for answers made
 * elsewhere (e.g. by Hono itself) and leaves the ones made here untouched.
 */
import type { MiddlewareHandler } from 'hono';

/**
 * CSP of the pages. Styles allow `'unsafe-inline'` because Lit falls back to `<style>` tags
 * where constructable stylesheets are missing; scripts never do.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** CSP of API answers. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

/** Security headers of API answers (JSON, text, empty). */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...COMMON_HEADERS,
  'Content-Security-Policy': API_CSP,
});

/** Security headers of HTML pages. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...COMMON_HEADERS,
  'Content-Security-Policy': PAGE_CSP,
});

/** Answers made by {@link secureResponse}: the middleware has nothing to add to them. */
const secured = new WeakSet<Response>();

/** Body types {@link secureResponse} takes (those the fast path of the Node adapter writes). */
export type SecureBody = string | Uint8Array<ArrayBuffer> | null;

/**
 * A `Response` that already carries the security headers (the page set when `Content-Type` is
 * HTML, else the API set; a `Content-Security-Policy` in `headers` wins).
 *
 * @example
 * ```ts
 * return secureResponse(JSON.stringify(body), {
 *   status: 200,
 *   headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
 * });
 * ```
 */
export function secureResponse(
  body: SecureBody,
  init: { status?: number; headers: Record<string, string> },
): Response {
  const isPage = (init.headers['Content-Type'] ?? '').startsWith('text/html');
  const response = new Response(body, {
    status: init.status ?? 200,
    headers: { ...(isPage ? PAGE_SECURITY_HEADERS : API_SECURITY_HEADERS), ...init.headers },
  });
  secured.add(response);
  return response;
}

/**
 * A `Response` whose `headers` already include a set of {@link API_SECURITY_HEADERS} or
 * {@link PAGE_SECURITY_HEADERS}: for hot routes that build their header object once and reuse
 * it (it must not be changed afterwards, and must describe `body` exactly).
 */
export function presecuredResponse(
  body: SecureBody,
  status: number,
  headers: Readonly<Record<string, string>>,
): Response {
  const response = new Response(body, { status, headers: headers as Record<string, string> });
  secured.add(response);
  return response;
}

/**
 * Hono middleware that adds the headers to answers not made by {@link secureResponse}.
 *
 * @example
 * ```ts
 * app.use('*', securityHeaders());
 * ```
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const response = c.res;
    if (secured.has(response)) return;
    // Set on the response's own headers rather than with `c.header()`, which would copy the
    // whole response; the adapter still writes it without conversion.
    const headers = response.headers;
    const type = headers.get('Content-Type') ?? '';
    const wanted = type.startsWith('text/html') ? PAGE_SECURITY_HEADERS : API_SECURITY_HEADERS;
    for (const [name, value] of Object.entries(wanted)) {
      if (!headers.has(name)) headers.set(name, value);
    }
  };
}
