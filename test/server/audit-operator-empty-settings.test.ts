/**
 * A deployment template that writes `QUEUE_GATE_REDIS_URL=$REDIS_URL` with `REDIS_URL` unset
 * sets the variable to "". The CLI already refuses an empty PORT or token; an empty Redis URL,
 * public URL, host or data dir must be refused the same way, naming the variable, rather than
 * start silently on something else: each process on its own embedded store (N separate lines
 * behind one load balancer, each with its own signing keys), tokens issued by `http://:PORT`,
 * or the queue kept in whatever directory the process was started from.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/server/cli.js';

describe('queue-gate serve with a setting present but empty', () => {
  for (const variable of [
    'QUEUE_GATE_REDIS_URL',
    'QUEUE_GATE_PUBLIC_URL',
    'HOST',
    'QUEUE_GATE_DATA_DIR',
  ]) {
    it(`refuses an empty ${variable}, naming it, without starting`, async () => {
      const err: string[] = [];
      const io = { out: () => {}, err: (line: string) => err.push(line), onSignal: () => {} };
      const env = {
        PORT: '0',
        QUEUE_GATE_ADMIN_TOKEN: 'operator-empty-settings-0123',
        // Were the setting taken, nothing is written into the working directory.
        QUEUE_GATE_DATA_DIR: joinPath(tmpdir(), 'queue-gate-empty-settings-never-written'),
        [variable]: '',
      };
      const code = await runCli(['serve'], env, io);
      assert.equal(code, 2, 'exits at once with a usage error');
      assert.match(err.join('\n'), new RegExp(`${variable} is set but empty`));
    });
  }
});
