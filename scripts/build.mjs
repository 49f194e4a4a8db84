// `npm run build`: unbundled ESM + types for npm (tsc), the CDN bundles with their size budget
// (Rollup), and the custom-elements manifest (analyzer) that editors and tools read.
import { copyFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pointManifestAtDist } from './manifest-paths.mjs';
import { MSW_WORKER_PATH } from './msw-worker-plugin.mjs';

const bin = (name) => `node_modules/.bin/${name}`;

function run(label, command, args) {
  console.log(`- ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`Build step "${label}" failed.`);
    process.exit(result.status || 1);
  }
}

rmSync('dist', { recursive: true, force: true });
run('modules and types (tsc)', bin('tsc'), ['-p', 'tsconfig.build.json']);
run('CDN bundles (rollup)', bin('rollup'), ['-c', '--silent']);
// The demo bundle has msw inlined; its service worker goes beside it, from the same msw, so the
// demo's mock mode works from an installed package whose project has no msw (an optional peer).
console.log('- msw worker for the demo (dist/demo/mockServiceWorker.js)');
copyFileSync(MSW_WORKER_PATH, 'dist/demo/mockServiceWorker.js');
run('custom-elements.json (analyzer)', bin('custom-elements-manifest'), [
  'analyze',
  '--litelement',
  '--globs',
  'src/element/**/*.ts',
  '--exclude',
  'src/element/translations/**',
  '--outdir',
  '.',
  '--quiet',
]);
pointManifestAtDist('custom-elements.json');
