// Serves MSW's service worker script straight from node_modules at the site root, so no
// generated copy is committed and the worker always matches the installed msw version.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
export const MSW_WORKER_PATH = join(
  dirname(require.resolve('msw/package.json')),
  'lib',
  'mockServiceWorker.js',
);

/** A @web/dev-server plugin that answers `/mockServiceWorker.js`. */
export function mswWorkerPlugin() {
  return {
    name: 'msw-worker',
    async serve(context) {
      if (context.path === '/mockServiceWorker.js') {
        return { body: await readFile(MSW_WORKER_PATH, 'utf8'), type: 'js' };
      }
      return undefined;
    },
  };
}
