/**
 * The pages and scripts the server shows: `/` (demo), `/booking.html`, `/demo/*`, `/dist/*`.
 * Files come through an {@link AssetSource}, so the app itself never touches a disk and stays
 * runnable on edge runtimes (which would serve these from their own asset store).
 */
import type { Hono } from 'hono';
import type { QueueAppEnv } from '../app-env.js';
import { secureResponse } from '../security-headers.js';

/** A file to serve. */
export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  /**
   * The same bytes gzip-compressed, when the source has them (text files): sent to clients that
   * accept gzip, which cuts the script tag's download to a third on a slow phone network.
   */
  gzip?: Uint8Array<ArrayBuffer>;
}

/** Where static files come from; `path` is the URL path (`/demo/app.js`). */
export interface AssetSource {
  /** The file for the URL path, or null when there is none (or the path is refused). */
  read(path: string): Promise<Asset | null>;
}

/** URL path prefixes and exact paths served from an {@link AssetSource}. */
export const STATIC_ROUTES = [
  '/',
  '/booking.html',
  '/mockServiceWorker.js',
  '/demo/*',
  '/dist/*',
] as const;

/** Registers the static routes; unknown files fall through to the JSON 404. */
export function registerStaticRoutes(app: Hono<QueueAppEnv>, assets: AssetSource): void {
  for (const route of STATIC_ROUTES) {
    app.get(route, async (c, next) => {
      const asset = await assets.read(c.req.path);
      if (!asset) return next();
      const headers: Record<string, string> = {
        'Content-Type': asset.contentType,
        'Cache-Control': 'no-cache',
      };
      if (!asset.gzip) return secureResponse(asset.body, { headers });
      // Caches keep the compressed and the plain answer apart.
      headers['Vary'] = 'Accept-Encoding';
      if (!acceptsGzip(c.req.header('Accept-Encoding'))) {
        return secureResponse(asset.body, { headers });
      }
      headers['Content-Encoding'] = 'gzip';
      return secureResponse(asset.gzip, { headers });
    });
  }
}

/** Whether an `Accept-Encoding` header accepts gzip (by name or `*`, with a q above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(name.trim(), Number.isNaN(weight) ? 0 : weight);
  }
  return (accepted.get('gzip') ?? accepted.get('*') ?? 0) > 0;
}
