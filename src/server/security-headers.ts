/**
 * Security headers on every answer. Pages get a strict Content-Security-Policy (scripts from
 * this origin only, so the booking page works without inline scripts); API answers get a CSP
 * that allows nothing, since they are never meant to render.
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

/**
 * Hono middleware that adds the headers after the route answered.
 *
 * @example
 * ```ts
 * app.use('*', securityHeaders());
 * ```
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const type = c.res.headers.get('Content-Type') ?? '';
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (!c.res.headers.has('Content-Security-Policy')) {
      c.header('Content-Security-Policy', type.startsWith('text/html') ? PAGE_CSP : API_CSP);
    }
  };
}
