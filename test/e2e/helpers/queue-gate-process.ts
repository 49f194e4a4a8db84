/**
 * Runs the real server exactly as `npm start` does (`node bin/queue-gate.js serve`, from the
 * built `dist/`) as a child process, so the journeys exercise the shipped code and its CLI.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { untilListening, watchChild } from '../../server/helpers/child-server.js';

/** The repository root (this file is `test/e2e/helpers/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Options of {@link startQueueGateProcess}. */
export interface QueueGateProcessOptions {
  port: number;
  dataDir: string;
  adminToken: string;
  /** Give up when the server has not said it listens within this long (default 15 s). */
  startTimeoutMs?: number;
}

/** A running `queue-gate serve`. */
export interface QueueGateProcess {
  /** Where it listens, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Sends `signal` (default SIGKILL: a crash, nothing flushed) and resolves once it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();
// Safety net: a test process that dies without running its hooks must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node bin/queue-gate.js serve` on `port` with the given data dir and admin token.
 *
 * @throws Error telling to run `npm run build` when the built server or element is missing
 * @throws Error with the server's output when it exits or stays silent before listening
 * @example
 * ```ts
 * const server = await startQueueGateProcess({ port, dataDir, adminToken: 'x'.repeat(32) });
 * await server.kill();
 * ```
 */
export async function startQueueGateProcess(
  options: QueueGateProcessOptions,
): Promise<QueueGateProcess> {
  // The server runs from dist/ and the booking page loads the element from it.
  for (const built of [join('dist', 'server', 'cli.js'), join('dist', 'queue-gate.min.js')]) {
    if (!existsSync(join(REPO_ROOT, built))) {
      throw new Error(
        `${built} is missing: the end-to-end tests run the built package. Run \`npm run build\` first (\`npm test\` does).`,
      );
    }
  }
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'queue-gate.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      QUEUE_GATE_DATA_DIR: options.dataDir,
      QUEUE_GATE_ADMIN_TOKEN: options.adminToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const watched = watchChild(child);
  let exited = false;
  void watched.exited.then(() => {
    exited = true;
    running.delete(child);
  });
  const url = await untilListening(child, watched, {
    timeoutMs: options.startTimeoutMs ?? 15_000,
    onTimeout: () => child.kill('SIGKILL'),
  });
  return {
    url,
    output: watched.output,
    alive: () => !exited,
    async kill(signal = 'SIGKILL') {
      if (exited) return;
      child.kill(signal);
      await watched.exited;
    },
  };
}
