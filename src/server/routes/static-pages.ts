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
      return secureResponse(asset.body, {
        headers: { 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache' },
      });
    });
  }
}
