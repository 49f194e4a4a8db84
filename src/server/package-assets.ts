/**
 * Node-only: where the server finds the demo pages and the built bundles it serves.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDiskAssets } from './disk-assets.js';
import type { AssetSource } from './routes/static-pages.js';

/** The package root: two levels above this file in both `src/server/` and `dist/server/`. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The assets under `staticRoot` (default: this package); null when `staticRoot` is null.
 *
 * @example
 * ```ts
 * const assets = packageAssets(undefined); // demo/ and dist/ of this package
 * ```
 */
export function packageAssets(staticRoot: string | null | undefined): AssetSource | null {
  const root = staticRoot === undefined ? PACKAGE_ROOT : staticRoot;
  return root !== null ? createDiskAssets(root) : null;
}
