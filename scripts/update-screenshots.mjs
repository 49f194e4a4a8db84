// `npm run screenshots:update`: draws every screenshot of test/element/screenshots/ again and,
// only when every one of those tests passed, replaces the committed baselines with them (so a
// renamed or removed state leaves no stale picture behind, and a failed run changes nothing).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINES } from './screenshot-plugin.mjs';

const fresh = mkdtempSync(join(tmpdir(), 'queue-gate-screenshots-'));
const run = spawnSync(
  'node_modules/.bin/web-test-runner',
  // Extra arguments go to the runner (e.g. `-- --port 8765` when port 8000 is taken).
  ['test/element/screenshots/**/*.test.ts', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, QUEUE_GATE_SCREENSHOTS: fresh } },
);
if (run.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  console.error('Screenshot tests failed: the baselines were left as they were.');
  process.exit(run.status || 1);
}
rmSync(BASELINES, { recursive: true, force: true });
// A copy, not a rename: the temporary directory may be on another file system.
cpSync(fresh, BASELINES, { recursive: true });
rmSync(fresh, { recursive: true, force: true });
const files = readdirSync(BASELINES);
const bytes = files.reduce((sum, file) => sum + statSync(join(BASELINES, file)).size, 0);
console.log(`${files.length} baselines, ${(bytes / 1024).toFixed(0)} KiB in ${BASELINES}`);
