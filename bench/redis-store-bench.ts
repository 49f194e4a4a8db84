/**
 * The Redis section of BENCHMARKS.md: joins per second with the Redis store (two processes,
 * and one) against the embedded store in the same run, and Redis round trips per operation.
 *
 * Servers are the real CLI (`queue-gate serve` through tsx) as child processes, Redis a real
 * `redis-server` on a free port. Round trips are counted by a proxy between the server and
 * Redis (commands sent), and the work Redis does by `INFO commandstats` deltas (commands
 * executed, including those inside Lua scripts): neither needs `MONITOR`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Redis } from 'ioredis';
import { startQueueServer } from '../src/server/node-server.js';
import { startChildServer } from '../test/server/helpers/child-server.js';
import type { ChildServer } from '../test/server/helpers/child-server.js';
import { startTestRedis } from '../test/server/support/redis-server.js';
import { compareThroughput, measureThroughput } from './load-generator.js';
import type { LoadRequest } from './load-generator.js';
import { count, markdownTable, ratio, verdict } from './markdown-table.js';
import { startRedisCommandCounter } from './redis-command-counter.js';

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

async function withServers<T>(
  processes: number,
  env: Record<string, string>,
  run: (urls: string[]) => Promise<T>,
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
    const put = await fetch(`${urls[0]}/admin/rooms/bench`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ admitPerMinute: 0 }),
    });
    if (!put.ok) throw new Error(`could not create the bench room: ${put.status}`);
    return await run(urls);
  } finally {
    for (const child of children) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Commands Redis has executed so far (`INFO commandstats`), leaving out `INFO` itself. */
async function executedCommands(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info') total += Number(match[2]);
  }
  return total;
}

/** Per operation: commands sent to Redis (round trips) and commands Redis executed. */
interface RedisCost {
  sent: number;
  executed: number;
}

/** Round trips and Redis work per join, state, admission and booking, one in-process server. */
async function costPerOperation(
  redisUrl: string,
  client: Redis,
): Promise<Record<'join' | 'state' | 'admit' | 'book', RedisCost>> {
  const counter = await startRedisCommandCounter(redisUrl);
  const server = await startQueueServer({
    port: 0,
    dataDir: null,
    adminToken: ADMIN_TOKEN,
    staticRoot: null,
    redisUrl: counter.url,
    redisKeyPrefix: 'rt:',
    rooms: { rt: { admitPerMinute: 0 } },
    // No ticker or flush: only the requests below talk to Redis.
    tickIntervalMs: 0,
    flushIntervalMs: 0,
    logError: () => {},
  });
  const post = async (path: string, headers: Record<string, string> = {}, body?: string) =>
    (await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    }).then((answer) => answer.json())) as Record<string, string>;
  const n = 200;
  const measure = async (work: () => Promise<void>): Promise<RedisCost> => {
    const sent = counter.commands();
    const executed = await executedCommands(client);
    await work();
    return {
      sent: (counter.commands() - sent) / n,
      executed: ((await executedCommands(client)) - executed) / n,
    };
  };
  try {
    await post('/rooms/rt/join', {}, '{}');
    const tickets: string[] = [];
    const join = await measure(async () => {
      await Promise.all(
        Array.from({ length: n }, async () => {
          tickets.push((await post('/rooms/rt/join', {}, '{}')).ticket!);
        }),
      );
    });
    const state = await measure(async () => {
      for (let i = 0; i < n; i += 1) {
        await fetch(`${server.url}/rooms/rt/state`).then((answer) => answer.text());
      }
    });
    await fetch(`${server.url}/admin/rooms/rt/advance`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ by: n + 1 }),
    });
    const admissions: string[] = [];
    const admit = await measure(async () => {
      for (const ticket of tickets) {
        const answer = await post('/rooms/rt/admit', { Authorization: `Bearer ${ticket}` });
        admissions.push(answer.admission!);
      }
    });
    const book = await measure(async () => {
      for (const admission of admissions) {
        await post('/demo/book?room=rt', { Authorization: `Bearer ${admission}` });
      }
    });
    return { join, state, admit, book };
  } finally {
    await server.close();
    await counter.close();
  }
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
  const load = { durationMs: options.durationMs, connections: options.connections };
  const redis = await startTestRedis();
  try {
    const redisEnv = (prefix: string) => ({
      QUEUE_GATE_REDIS_URL: redis.url,
      QUEUE_GATE_REDIS_PREFIX: prefix,
    });
    // The goal's two figures run side by side in alternating slices, so that a busy moment of
    // the machine hits both alike; the idle set costs next to nothing meanwhile.
    const [memory, redisTwo] = await withServers(1, {}, (memoryUrls) =>
      withServers(2, redisEnv('two:'), (redisUrls) =>
        compareThroughput(
          { url: memoryUrls, next: () => JOIN },
          { url: redisUrls, next: () => JOIN },
          load,
        ),
      ),
    );
    const redisOne = await withServers(1, redisEnv('one:'), (urls) =>
      measureThroughput(urls, () => JOIN, load),
    );
    const costs = await costPerOperation(redis.url, redis.client);
    const two = redisTwo.perSecond / memory.perSecond;
    const costRow = (name: string, cost: RedisCost) => [
      name,
      cost.sent.toFixed(2),
      cost.executed.toFixed(1),
    ];
    return [
      '## Joins with the Redis store',
      '',
      `Closed loop, ${load.connections} keep-alive connections (split evenly over the processes), ` +
        `${load.durationMs / 1000} s after 1 s of warm-up (the embedded store and two Redis processes in alternating slices); servers are \`queue-gate serve\` child ` +
        `processes, Redis a local \`redis-server\`; ${availableParallelism()} CPU(s) shared by the ` +
        `servers, Redis and the load generator, so two processes compete for the same cores.`,
      '',
      markdownTable(
        ['setup', 'joins/s', 'vs embedded store', 'errors'],
        [
          [
            'embedded store, 1 process (baseline)',
            count(memory.perSecond),
            '1.00x',
            String(memory.errors),
          ],
          [
            'Redis store, 1 process',
            count(redisOne.perSecond),
            ratio(redisOne.perSecond, memory.perSecond),
            String(redisOne.errors),
          ],
          [
            'Redis store, 2 processes',
            count(redisTwo.perSecond),
            ratio(redisTwo.perSecond, memory.perSecond),
            String(redisTwo.errors),
          ],
        ],
      ),
      '',
      `Goal: 2 processes on Redis at least 0.8x the embedded store: ${verdict(two >= 0.8)} ` +
        `(${two.toFixed(2)}x).`,
      '',
      'Redis cost per operation, 200 of each through one server: commands the server sent ' +
        '(round trips; a script call counts once), counted by a proxy in front of Redis, and ' +
        'commands Redis executed (including those inside scripts), from `INFO commandstats`.',
      '',
      markdownTable(
        ['operation', 'round trips', 'commands executed'],
        [
          costRow('join (200 concurrent)', costs.join),
          costRow('state', costs.state),
          costRow('admit (first claim)', costs.admit),
          costRow('booking (`/demo/book`: verify + single use)', costs.book),
        ],
      ),
      '',
    ].join('\n');
  } finally {
    await redis.stop();
  }
}
