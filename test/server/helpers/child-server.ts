/**
 * Runs `queue-gate serve` (the real CLI, through tsx) as a child process on a free port, and the
 * two steps every starter of a server process needs: collecting its output and waiting for its
 * `listening on <url>` line.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output: () => string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What a child process printed, and its end. */
export interface WatchedChild {
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Collects `child`'s stdout and stderr and notes when it exits. */
export function watchChild(child: ChildProcess): WatchedChild {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { output: () => output, exited };
}

/**
 * The URL a server process says it listens on (`listening on http://…`).
 *
 * @throws Error with the output when the process exits first or stays silent for `timeoutMs`
 *   (`onTimeout` runs first, e.g. to kill it)
 */
export function untilListening(
  child: ChildProcess,
  watched: WatchedChild,
  { timeoutMs = 20_000, onTimeout = () => {} }: { timeoutMs?: number; onTimeout?: () => void } = {},
): Promise<string> {
  return new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => {
      onTimeout();
      fail(new Error(`server did not start within ${timeoutMs} ms:\n${watched.output()}`));
    }, timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(watched.output());
      if (match) {
        clearTimeout(timer);
        ready(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void watched.exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`server exited:\n${watched.output()}`));
    });
  });
}

export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchChild(child);
  const url = await untilListening(child, watched);
  return { url, child, ...watched };
}
