/**
 * Node-only: serves the demo pages and the built bundles from the package's own folders.
 *
 * Why decode and check every segment: a URL like `/demo/..%2f..%2fpackage.json` must never
 * reach a file outside `demo/` or `dist/`; the resolved path is checked against the folder too.
 */
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, extname, resolve, sep } from 'node:path';
import type { Asset, AssetSource } from './routes/static-pages.js';

/** Content types by file extension. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.gz': 'application/gzip',
};

/** URL of MSW's worker script (served only where msw is installed: it is an optional peer). */
export const MSW_WORKER_PATH = '/mockServiceWorker.js';

/**
 * The folder of msw's worker script as Node resolves it from `root` (an installed package finds
 * the msw its app installed beside it, hoisted or not); null without msw.
 */
function mswWorkerFolder(root: string): string | null {
  try {
    const require = createRequire(resolve(root, 'package.json'));
    return dirname(require.resolve('msw/mockServiceWorker.js'));
  } catch {
    return null;
  }
}

/** Splits a URL path into safe file segments, or null when any segment is refused. */
function safeSegments(path: string): string[] | null {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment) || segment.startsWith('.')) {
      return null;
    }
    segments.push(segment);
  }
  return segments;
}

/** Extensions worth compressing: text. Images and archives are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Files up to this size get brotli's best quality (the script tag and its chunks: 0.2 s once,
 * about 12 % under gzip); larger ones (the demo's bundle, source maps) a quick quality, since the
 * best would keep a core busy for seconds per file.
 */
const BEST_BROTLI_MAX_BYTES = 256 * 1024;

/** A text file in both codings, on zlib's thread pool rather than the event loop. */
async function compressed(body: Uint8Array) {
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(body, { level: 9 }),
    brotliAsync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: body.length <= BEST_BROTLI_MAX_BYTES ? 11 : 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  ]);
  return { gzip: new Uint8Array(gzipped), brotli: new Uint8Array(brotli) };
}

/**
 * Files read and compressed once, until they change on disk (a rebuild during `npm start`). The
 * promise is kept, so that a crowd's first requests for a file wait on one compression.
 */
const readCache = new Map<string, { version: string; asset: Promise<Asset> }>();

async function loadAsset(file: string): Promise<Asset> {
  const body = new Uint8Array(await readFile(file));
  const extension = extname(file);
  return {
    body,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    ...(COMPRESSIBLE.has(extension) ? await compressed(body) : {}),
  };
}

async function readInside(folder: string, segments: string[]): Promise<Asset | null> {
  if (segments.length === 0) return null;
  const file = resolve(folder, ...segments);
  if (!file.startsWith(folder + sep)) return null;
  try {
    const info = await stat(file);
    if (!info.isFile()) return null;
    const version = `${info.mtimeMs}:${info.size}`;
    let cached = readCache.get(file);
    if (cached?.version !== version) {
      cached = { version, asset: loadAsset(file) };
      readCache.set(file, cached);
      // A failed read is not kept: the next request tries again.
      const entry = cached;
      entry.asset.catch(() => {
        if (readCache.get(file) === entry) readCache.delete(file);
      });
    }
    return await cached.asset;
  } catch {
    return null;
  }
}

/**
 * An {@link AssetSource} over a package root: `/` → `demo/index.html`, `/booking.html` →
 * `demo/booking.html`, `/demo/*` → `demo/*`, `/dist/*` → `dist/*`, and `/mockServiceWorker.js`
 * → msw's worker for the demo's mock mode (the build's copy, else the installed msw's).
 *
 * @example
 * ```ts
 * createQueueApp({ service, adminToken, assets: createDiskAssets(process.cwd()) });
 * ```
 */
export function createDiskAssets(root: string): AssetSource {
  const demo = resolve(root, 'demo');
  const dist = resolve(root, 'dist');
  const mswLib = mswWorkerFolder(root);
  return {
    async read(path) {
      if (path === '/') return readInside(demo, ['index.html']);
      if (path === '/booking.html') return readInside(demo, ['booking.html']);
      // The demo's mock mode runs MSW, whose worker must be served from the root to control it:
      // the build's copy beside the demo bundle (the msw that bundle has inlined), else the
      // installed msw's (a checkout before its first build).
      if (path === MSW_WORKER_PATH) {
        const built = await readInside(resolve(dist, 'demo'), ['mockServiceWorker.js']);
        if (built !== null || mswLib === null) return built;
        return readInside(mswLib, ['mockServiceWorker.js']);
      }
      const segments = safeSegments(path);
      if (!segments || segments.length < 2) return null;
      const [top, ...rest] = segments;
      if (top === 'demo') return readInside(demo, rest);
      if (top === 'dist') return readInside(dist, rest);
      return null;
    },
  };
}
