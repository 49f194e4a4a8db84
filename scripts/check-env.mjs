// Says plainly what the test command needs from the machine, instead of a stack trace later.
import { spawnSync } from 'node:child_process';
import { findChrome } from './find-chrome.mjs';

const need = process.argv[2] ?? 'all';
const problems = [];

if (need === 'browser' || need === 'all') {
  if (!findChrome()) {
    problems.push(
      'No Chrome or Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) ' +
        'or set CHROME_PATH to its executable.',
    );
  }
}
if (need === 'node' || need === 'all') {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    problems.push(
      '`redis-server` is not on PATH; the Redis store tests start one on a free port. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`).',
    );
  }
  const cli = spawnSync('redis-cli', ['--version'], { encoding: 'utf8' });
  if (cli.error || cli.status !== 0) {
    problems.push(
      '`redis-cli` is not on PATH; the Redis Cluster tests use it to join three redis-servers ' +
        'into a Cluster. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`, ' +
        'which brings redis-tools).',
    );
  }
}

if (problems.length > 0) {
  console.error('queue-gate tests cannot run on this machine yet:\n');
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error('');
  process.exit(1);
}
