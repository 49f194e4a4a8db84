// `npm test`: every check CI runs, in order, stopping at the first failure with its name.
import { spawnSync } from 'node:child_process';

const steps = [
  ['environment', 'node', ['scripts/check-env.mjs', 'all']],
  ['type-check', 'node_modules/.bin/tsc', ['--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'node_modules/.bin/eslint', ['.', '--max-warnings', '0']],
  ['format', 'node_modules/.bin/prettier', ['--check', '.']],
  ['build + size budget', 'node', ['scripts/build.mjs']],
  ['publint', 'node_modules/.bin/publint', ['--strict']],
  // ESM only by design (no CommonJS build, no node10 resolution): the profile says so.
  [
    'types of the packed package (attw)',
    'node_modules/.bin/attw',
    ['--pack', '.', '--profile', 'esm-only'],
  ],
  ['browser tests', 'node_modules/.bin/web-test-runner', []],
  ['node tests', 'node', ['scripts/run-node-tests.mjs']],
];

const only = process.argv.slice(2);
for (const [name, command, args] of steps) {
  if (only.length > 0 && !only.some((wanted) => name.startsWith(wanted))) continue;
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
