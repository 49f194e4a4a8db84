/**
 * Starts a benchmark target (a script in `bench/targets/`) as its own Node process, so the
 * server under test and the load generator do not share an event loop.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A running target: its URL and whatever else its ready line carried. */
export interface Target {
  url: string;
  /** The target's ready line, parsed (e.g. prepared tickets). */
  ready: Record<string, unknown>;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Spawns `node --import tsx <script>` and waits for the single JSON line with `url` that every
 * target prints once it listens.
 *
 * @example
 * ```ts
 * const target = await spawnTarget('bench/targets/bare-state-server.ts', { BENCH_STATE_BODY: '{}' });
 * // ... load target.url ...
 * await target.stop();
 * ```
 */
export async function spawnTarget(
  script: string,
  env: Record<string, string> = {},
): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start:\n${stderr}`)),
      60_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout.slice(0, end)) as Record<string, unknown>);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${script} exited:\n${stderr}`));
    });
  });
  return {
    url: String(ready['url']),
    ready,
    child,
    /** Idempotent: a target stopped early is skipped by the final clean-up. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
