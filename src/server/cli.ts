/**
 * Node-only: the `queue-gate` command. `queue-gate serve` runs the reference server with the
 * embedded store, configured by environment variables (see `--help`).
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN_FILE } from './admin-token.js';
import { DataDirInUseError } from './store/data-dir-lock.js';
import { MAX_TRUSTED_PROXIES } from './client-address.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_MAX_REQUESTS_PER_CLIENT,
  startQueueServer,
} from './node-server.js';
import { MAX_JOIN_POW_BITS } from '../protocol.js';
import { IoredisMissingError, loadRedisModule } from './redis-loader.js';
import { AUDIT_USAGE, runAudit } from './audit/audit-command.js';
import { ROTATE_KEYS_USAGE, runRotateKeys } from './keys/rotate-command.js';

/** Text of `queue-gate --help`. */
export const HELP = `Usage: queue-gate serve
       ${AUDIT_USAGE.replace('Usage: ', '')}
       ${ROTATE_KEYS_USAGE.replace('Usage: ', '')}

audit checks a room's public fairness record against the server's keys (see
docs/opening-day.md) and exits non-zero on any failure; rotate-keys asks a running server
to rotate its signing keys.

Runs the queue-gate reference server: the queue API, the demo page at /, the sample
booking page at /booking.html?room=demo and the JWKS at /.well-known/jwks.json.

Environment:
  PORT                     port to listen on (default 8787; 0 picks a free port)
  HOST                     interface to listen on (default 127.0.0.1)
  QUEUE_GATE_DATA_DIR      where the queue is kept across restarts (default ${DEFAULT_DATA_DIR})
  QUEUE_GATE_ADMIN_TOKEN   bearer token of the admin API (at least 16 characters);
                           when unset one is generated, printed once and kept in the data dir
  QUEUE_GATE_METRICS_TOKEN bearer token that reads /metrics and nothing else (at least 16
                           characters); the admin token reads /metrics too
  QUEUE_GATE_PUBLIC_URL    public origin of the server (default http://HOST:PORT)
  QUEUE_GATE_JOIN_LIMIT_PER_MINUTE
                           new places one client address may take a minute (default: no limit)
  QUEUE_GATE_JOIN_POW_BITS proof of work a new place costs, in leading zero bits (e.g. 16;
                           default 0: off); the client core solves it, ticket holders never
  QUEUE_GATE_TRUST_PROXY   how many proxies in front of the server append to X-Forwarded-For,
                           0 to ${MAX_TRUSTED_PROXIES} (default 0: the header is ignored; 1 behind nginx, 2
                           behind a cloud load balancer and nginx); the client address is the
                           entry the outermost of them appended
  QUEUE_GATE_MAX_REQUESTS_PER_CLIENT
                           requests one client address may have with a body still arriving
                           (default ${DEFAULT_MAX_REQUESTS_PER_CLIENT}; 0: no cap); past it: 429, connection closed
  QUEUE_GATE_REDIS_URL     keep the queue in Redis (redis://host:port) instead of the data dir,
                           shared by every process with the same URL; give them all the same
                           QUEUE_GATE_PUBLIC_URL and QUEUE_GATE_ADMIN_TOKEN (see docs/scaling.md);
                           with QUEUE_GATE_REDIS_CLUSTER=1, a comma-separated list of seed nodes
  QUEUE_GATE_REDIS_CLUSTER 1: QUEUE_GATE_REDIS_URL names Redis Cluster nodes (default 0)
  QUEUE_GATE_REDIS_PREFIX  prefix of the Redis keys (default queue-gate:)
  QUEUE_GATE_KEY_ROTATION_DAYS
                           rotate the signing keys by themselves every so many days (default
                           0: only when asked, with rotate-keys or POST /admin/keys/rotate)

Options:
  -h, --help               show this help
`;

/** Where the CLI writes (injectable for tests). */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Registers the shutdown handler for SIGTERM/SIGINT. */
  onSignal: (handler: (signal: string) => void) => void;
}

const nodeIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  onSignal: (handler) => {
    process.once('SIGTERM', () => handler('SIGTERM'));
    process.once('SIGINT', () => handler('SIGINT'));
  },
};

/**
 * Runs the CLI.
 *
 * @returns the exit code when the command ends right away (help, errors); null while serving
 * @example
 * ```ts
 * const code = await runCli(process.argv.slice(2));
 * if (code !== null) process.exitCode = code;
 * ```
 */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = nodeIo,
): Promise<number | null> {
  if (args.includes('--help') || args.includes('-h') || args.length === 0) {
    io.out(HELP);
    return args.length === 0 ? 1 : 0;
  }
  if (args[0] === 'audit') return runAudit(args.slice(1), io);
  if (args[0] === 'rotate-keys') return runRotateKeys(args.slice(1), env, io.out, io.err);
  if (args[0] !== 'serve' || args.length > 1) {
    io.err(`Unknown command: ${args.join(' ')}\n\n${HELP}`);
    return 2;
  }
  const empty = EMPTY_NOT_DEFAULT.find((name) => env[name] !== undefined && !env[name]!.trim());
  if (empty) {
    io.err(`${empty} is set but empty; unset it to mean the default.`);
    return 2;
  }
  const port = wholeNumber(env.PORT, 8787);
  if (port === null || port > 65535) {
    io.err(`PORT must be a port number, got "${env.PORT ?? ''}".`);
    return 2;
  }
  const adminToken = env.QUEUE_GATE_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken.length < 16) {
    io.err('QUEUE_GATE_ADMIN_TOKEN must be at least 16 characters.');
    return 2;
  }
  const joinLimit = wholeNumber(env.QUEUE_GATE_JOIN_LIMIT_PER_MINUTE, 0);
  if (joinLimit === null) {
    io.err('QUEUE_GATE_JOIN_LIMIT_PER_MINUTE must be a whole number (0 for no limit).');
    return 2;
  }
  const powBits = wholeNumber(env.QUEUE_GATE_JOIN_POW_BITS, 0);
  // Never more than clients solve: a harder challenge would lock out every new visitor.
  if (powBits === null || powBits > MAX_JOIN_POW_BITS) {
    io.err(`QUEUE_GATE_JOIN_POW_BITS must be a whole number from 0 (off) to ${MAX_JOIN_POW_BITS}.`);
    return 2;
  }
  const trustProxy = wholeNumber(env.QUEUE_GATE_TRUST_PROXY, 0);
  if (trustProxy === null || trustProxy > MAX_TRUSTED_PROXIES) {
    io.err(
      `QUEUE_GATE_TRUST_PROXY must be the number of proxies in front of the server that append to X-Forwarded-For, from 0 (none) to ${MAX_TRUSTED_PROXIES}.`,
    );
    return 2;
  }
  const maxRequestsPerClient = wholeNumber(
    env.QUEUE_GATE_MAX_REQUESTS_PER_CLIENT,
    DEFAULT_MAX_REQUESTS_PER_CLIENT,
  );
  if (maxRequestsPerClient === null) {
    io.err('QUEUE_GATE_MAX_REQUESTS_PER_CLIENT must be a whole number (0 for no cap).');
    return 2;
  }
  const metricsToken = env.QUEUE_GATE_METRICS_TOKEN;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    io.err('QUEUE_GATE_METRICS_TOKEN must be at least 16 characters.');
    return 2;
  }
  const publicUrl = env.QUEUE_GATE_PUBLIC_URL;
  if (publicUrl && !isHttpUrl(publicUrl)) {
    io.err('QUEUE_GATE_PUBLIC_URL must be an http(s) URL like "https://queue.example".');
    return 2;
  }
  const keyRotationDays = wholeNumber(env.QUEUE_GATE_KEY_ROTATION_DAYS, 0);
  if (keyRotationDays === null) {
    io.err('QUEUE_GATE_KEY_ROTATION_DAYS must be a whole number of days (0: only when asked).');
    return 2;
  }
  const redis = await redisSettings(env);
  if (typeof redis === 'string') {
    io.err(redis);
    return 2;
  }
  const started = await startQueueServer({
    joinsPerMinutePerClient: joinLimit,
    joinPowBits: powBits,
    keyRotationDays,
    trustProxy,
    maxRequestsPerClient,
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.QUEUE_GATE_DATA_DIR ?? DEFAULT_DATA_DIR,
    ...(adminToken ? { adminToken } : {}),
    ...(metricsToken ? { metricsToken } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    ...redis,
    ...(env.QUEUE_GATE_REDIS_PREFIX ? { redisKeyPrefix: env.QUEUE_GATE_REDIS_PREFIX } : {}),
  }).catch((error: unknown) => {
    // Another process owns the data dir: the operator's setting, said in one line, no stack.
    if (error instanceof DataDirInUseError) return error;
    throw error;
  });
  if (started instanceof DataDirInUseError) {
    io.err(started.message);
    return 1;
  }
  const server = started;
  const lines = [
    `queue-gate listening on ${server.url}`,
    `  demo page:     ${server.url}/`,
    `  booking page:  ${server.url}/booking.html?room=demo`,
    `  public origin: ${server.publicOrigin}`,
  ];
  if (server.adminTokenGenerated) {
    // Printed once, on the start that made it; it is kept in the data dir, never logged again.
    lines.push(`  admin token (generated, keep it secret): ${server.adminToken}`);
  } else if (!adminToken) {
    // Later starts say where it is, not what it is.
    const dataDir = env.QUEUE_GATE_DATA_DIR ?? DEFAULT_DATA_DIR;
    lines.push(`  admin token:   in ${join(dataDir, ADMIN_TOKEN_FILE)} (made on the first start)`);
  }
  // One write, so whoever watches for the first line also gets the rest.
  io.out(lines.join('\n'));
  io.onSignal((signal) => {
    io.out(`queue-gate: ${signal}, shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        io.err(`queue-gate: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  });
  return null;
}

/**
 * Settings whose empty value would quietly mean something else than the operator meant: a
 * template writing `QUEUE_GATE_REDIS_URL=$REDIS_URL` with `REDIS_URL` unset would start each
 * process on its own embedded store (separate lines behind one load balancer); an empty public
 * URL or host would sign tokens for another origin; an empty data dir is the working directory.
 */
const EMPTY_NOT_DEFAULT = [
  'HOST',
  'QUEUE_GATE_DATA_DIR',
  'QUEUE_GATE_PUBLIC_URL',
  'QUEUE_GATE_REDIS_URL',
] as const;

/**
 * A decimal whole number from the environment, `fallback` when unset; null when malformed.
 * Why not `Number()`: it reads "" as 0, "0x10" as 16 and "1e3" as 1000, so a typo would
 * quietly listen on another port or set another limit instead of stopping.
 */
function wholeNumber(value: string | undefined, fallback: number): number | null {
  if (value === undefined) return fallback;
  return /^[0-9]{1,9}$/.test(value) ? Number(value) : null;
}

/**
 * The Redis settings from QUEUE_GATE_REDIS_URL and QUEUE_GATE_REDIS_CLUSTER, or the message
 * saying what is wrong. Why check here: a seed list given without the cluster flag would
 * otherwise fail later as an unreadable single URL, and a typo in a seed only at connect time;
 * and a missing `ioredis` (an optional peer dependency) should read as what to install.
 */
async function redisSettings(
  env: NodeJS.ProcessEnv,
): Promise<{ redisUrl?: string; redisCluster?: boolean } | string> {
  const flag = env.QUEUE_GATE_REDIS_CLUSTER;
  if (flag !== undefined && flag !== '0' && flag !== '1') {
    return `QUEUE_GATE_REDIS_CLUSTER must be 1 (Redis Cluster) or 0, got "${flag}".`;
  }
  const url = env.QUEUE_GATE_REDIS_URL;
  const cluster = flag === '1';
  if (!url) {
    return cluster ? 'QUEUE_GATE_REDIS_CLUSTER=1 needs QUEUE_GATE_REDIS_URL (the seed nodes).' : {};
  }
  let parseRedisSeeds: (list: string) => unknown;
  let parseRedisUrl: (url: string) => unknown;
  try {
    // Loaded only now, so a server without Redis runs without ioredis installed.
    ({ parseRedisSeeds, parseRedisUrl } = await loadRedisModule(() => import('./redis.js')));
  } catch (error) {
    if (error instanceof IoredisMissingError) return error.message;
    throw error;
  }
  if (!cluster) {
    if (url.includes(',')) {
      return 'QUEUE_GATE_REDIS_URL lists several nodes; set QUEUE_GATE_REDIS_CLUSTER=1 to use them as Redis Cluster seed nodes.';
    }
    try {
      parseRedisUrl(url);
    } catch (error) {
      return `QUEUE_GATE_REDIS_URL must be a redis:// or rediss:// URL like "redis://:password@redis.internal:6379/0": ${(error as Error).message}`;
    }
    return { redisUrl: url };
  }
  try {
    parseRedisSeeds(url);
  } catch (error) {
    return `QUEUE_GATE_REDIS_URL must be a comma-separated list of redis:// or rediss:// seed nodes: ${(error as Error).message}`;
  }
  return { redisUrl: url, redisCluster: true };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

const isMain = (() => {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (code !== null) process.exitCode = code;
    },
    (error: unknown) => {
      console.error('queue-gate: could not start:', error);
      process.exitCode = 1;
    },
  );
}
