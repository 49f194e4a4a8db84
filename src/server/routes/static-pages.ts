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
  /**
   * The same bytes brotli-compressed, when the source has them: about a tenth smaller than gzip
   * for the script tag, and sent in its place to clients that accept `br` (every current
   * browser does).
   */
  brotli?: Uint8Array<ArrayBuffer>;
}

/** A content coding the server can send a file in. */
export type ContentCoding = 'br' | 'gzip';

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

/** What every file under `/dist/` carries: anyone may load and read it. */
export const PUBLIC_BUNDLE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
});

/** Registers the static routes; unknown files fall through to the JSON 404. */
export function registerStaticRoutes(app: Hono<QueueAppEnv>, assets: AssetSource): void {
  for (const route of STATIC_ROUTES) {
    app.get(route, async (c, next) => {
      const asset = await assets.read(c.req.path);
      if (!asset) return next();
      const headers: Record<string, string> = {
        'Content-Type': asset.contentType,
        'Cache-Control': 'no-cache',
        // The bundles are public, and a page of any origin loads them: its `<script src>` needs
        // no CORS, but the chunks it imports on demand (a language, the rare screens, the
        // proof-of-work solver) and the ESM twin are module loads, which do.
        ...(c.req.path.startsWith('/dist/') ? PUBLIC_BUNDLE_HEADERS : {}),
      };
      const codings = (['br', 'gzip'] as const).filter((coding) => encoded(asset, coding));
      if (codings.length === 0) return secureResponse(asset.body, { headers });
      // Caches keep the compressed and the plain answers apart.
      headers['Vary'] = 'Accept-Encoding';
      const coding = chooseEncoding(c.req.header('Accept-Encoding'), codings);
      if (!coding) return secureResponse(asset.body, { headers });
      headers['Content-Encoding'] = coding;
      return secureResponse(encoded(asset, coding)!, { headers });
    });
  }
}

const encoded = (asset: Asset, coding: ContentCoding) =>
  coding === 'br' ? asset.brotli : asset.gzip;

/**
 * The coding to send, of `available` (in the server's order of preference), for an
 * `Accept-Encoding` header: the one the client weighs highest (by name or `*`; `q=0` refuses
 * it), the server's preference breaking ties; null for the plain bytes.
 *
 * @example
 * ```ts
 * chooseEncoding('gzip, deflate, br, zstd', ['br', 'gzip']); // 'br'
 * chooseEncoding('br;q=0.5, gzip', ['br', 'gzip']); // 'gzip'
 * ```
 */
export function chooseEncoding(
  header: string | undefined,
  available: readonly ContentCoding[],
): ContentCoding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name.trim(), Number.isNaN(weight) ? 0 : weight);
  }
  let best: ContentCoding | null = null;
  let bestWeight = 0;
  for (const coding of available) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  return best;
}
