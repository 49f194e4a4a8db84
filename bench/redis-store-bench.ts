/**
 * The Redis section of BENCHMARKS.md: joins per second with the Redis store (two processes,
 * and one) against the embedded store in the same run, the CPU each process spent on them
 * (joins per core used), and what each request costs Redis (`redis-operation-costs.ts`).
 *
 * Servers are the real CLI (`queue-gate serve` through tsx) as child processes, Redis a real
 * `redis-server` on a free port. The three setups run in alternating slices, so that a busy
 * moment of the machine hits them alike; the CPU of every process is read from `/proc` around
 * each slice (`process-cpu.ts`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startChildServer } from '../test/server/helpers/child-server.js';
import type { ChildServer } from '../test/server/helpers/child-server.js';
import { startTestRedis } from '../test/server/support/redis-server.js';
import { measureThroughput } from './load-generator.js';
import type { LoadRequest } from './load-generator.js';
import { cpuDuring } from './process-cpu.js';
import { redisSection } from './redis-bench-report.js';
import type { Measured, Runs } from './redis-bench-report.js';
import { measureRedisOperationCosts } from './redis-operation-costs.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const PUBLIC_URL = 'http://queue.bench';
const JOIN: LoadRequest = {
  method: 'POST',
  path: '/rooms/bench/join',
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
};

/** Options of {@link benchRedisStore}. */
export interface RedisBenchOptions {
  durationMs: number;
  connections: number;
}

/** Server processes of one setup. */
interface Setup {
  urls: string[];
  pids: Array<number | undefined>;
}

async function withServers<T>(
  processes: number,
  env: Record<string, string>,
  run: (setup: Setup) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-bench-'));
  const children: ChildServer[] = [];
  try {
    for (let i = 0; i < processes; i += 1) {
      children.push(
        await startChildServer({
          QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
          QUEUE_GATE_PUBLIC_URL: PUBLIC_URL,
          QUEUE_GATE_DATA_DIR: joinPath(dataDir, String(i)),
          ...env,
        }),
      );
    }
    const urls = children.map((child) => child.url);
    // On every process: embedded stores each have their own rooms (on Redis this is a no-op).
    for (const url of urls) {
      const put = await fetch(`${url}/admin/rooms/bench`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ admitPerMinute: 0 }),
      });
      if (!put.ok) throw new Error(`could not create the bench room: ${put.status}`);
    }
    return await run({ urls, pids: children.map((child) => child.child.pid) });
  } finally {
    for (const child of children) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Joins against each setup in turn, `slices` times, after a warm-up of each; the CPU of the
 * setup's servers, of Redis and of the load generator is read around each slice.
 */
async function alternate(
  setups: Setup[],
  redisPid: number | undefined,
  options: RedisBenchOptions,
  slices = 6,
): Promise<Measured[]> {
  const load = { connections: options.connections, warmupMs: 0 };
  for (const setup of setups)
    await measureThroughput(setup.urls, () => JOIN, { ...load, durationMs: 1000 });
  const totals = setups.map((): Measured => ({
    ok: 0,
    errors: 0,
    ms: 0,
    serverCpu: 0,
    redisCpu: 0,
    generatorCpu: 0,
  }));
  for (let i = 0; i < slices; i += 1) {
    for (const [index, setup] of setups.entries()) {
      const pids = Object.fromEntries(setup.pids.map((pid, n) => [`server${n}`, pid]));
      const { result, cpu } = await cpuDuring(
        { ...pids, redis: redisPid, generator: process.pid },
        () =>
          measureThroughput(setup.urls, () => JOIN, {
            ...load,
            durationMs: options.durationMs / slices,
          }),
      );
      const total = totals[index]!;
      total.ok += result.ok;
      total.errors += result.errors;
      total.ms += result.measuredMs;
      total.serverCpu += setup.pids.reduce<number>((sum, _, n) => sum + cpu[`server${n}`]!, 0);
      total.redisCpu += cpu.redis!;
      total.generatorCpu += cpu.generator!;
    }
  }
  return totals;
}

/**
 * Runs the Redis benchmarks and returns their section of BENCHMARKS.md.
 *
 * @example
 * ```ts
 * const markdown = await benchRedisStore({ durationMs: 3000, connections: 32 });
 * ```
 */
export async function benchRedisStore(options: RedisBenchOptions): Promise<string> {
  const loadAverage = loadavg()[0]!;
  const redis = await startTestRedis();
  try {
    const redisEnv = (prefix: string) => ({
      QUEUE_GATE_REDIS_URL: redis.url,
      QUEUE_GATE_REDIS_PREFIX: prefix,
    });
    const [memory, memoryTwo, redisOne, redisTwo] = await withServers(1, {}, (embedded) =>
      withServers(2, {}, (embeddedTwo) =>
        withServers(1, redisEnv('one:'), (one) =>
          withServers(2, redisEnv('two:'), (two) =>
            alternate([embedded, embeddedTwo, one, two], redis.process.pid, options),
          ),
        ),
      ),
    );
    const costs = await measureRedisOperationCosts(redis);
    return redisSection(
      { ...options, loadAverage },
      { memory, memoryTwo, redisOne, redisTwo } as Runs,
      costs,
    );
  } finally {
    await redis.stop();
  }
}
