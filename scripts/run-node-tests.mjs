// Runs the Node test files (server, verify, build, docs, e2e, consumers) with the built-in runner and tsx.
// Node 20's `--test` does not expand globs, so the files are found here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : [
        'test/server',
        'test/conformance',
        'test/verify',
        'test/build',
        'test/docs',
        'test/e2e',
        'test/consumers',
      ];

function findTests(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return /\.test\.ts$/.test(name) ? [path] : [];
  });
}

const files = roots.flatMap((root) => (root.endsWith('.ts') ? [root] : findTests(root))).sort();
if (files.length === 0) {
  console.error(`No Node test files found under ${roots.join(', ')}.`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
