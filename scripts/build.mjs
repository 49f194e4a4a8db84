// `npm run build`: unbundled ESM + types for npm (tsc), the CDN bundles with their size budget
// (Rollup), and the custom-elements manifest (analyzer) that editors and tools read.
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pointManifestAtDist } from './manifest-paths.mjs';

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
