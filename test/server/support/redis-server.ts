/**
 * Starts a real, throwaway `redis-server` on a free port for the Redis tests.
 *
 * Why never skip: the Redis store is only proven against a real Redis. When `redis-server` is
 * not installed the tests fail with a message that says how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  port: number;
  /** A client for reading and preparing keys directly. */
  client: Redis;
  process: ChildProcess;
  stop: () => Promise<void>;
}

const REDIS_BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((ready, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => ready(port));
    });
  });
}

export async function startTestRedis(): Promise<TestRedis> {
  const found = spawnSync(REDIS_BINARY, ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(
      `The Redis tests need a real redis-server and "${REDIS_BINARY}" could not be run ` +
        `(${found.error?.message ?? found.stderr}). Install it (e.g. "apt-get install redis-server" ` +
        `or "brew install redis") or point REDIS_SERVER_BIN at the binary.`,
    );
  }
  const port = await freePort();
  const child = spawn(
    REDIS_BINARY,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') break;
    } catch {
      client.disconnect();
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port}:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 50));
  }
  return {
    url,
    port,
    client,
    process: child,
    async stop() {
      client.disconnect();
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
