/**
 * Opens the ioredis client of a {@link RedisStore}: one connection to a single Redis, or a
 * Redis Cluster client from a list of seed nodes. Both fail fast in the same way.
 *
 * Why fail fast: with the offline queue off and a command timeout, an unreachable Redis (or
 * Cluster) makes every operation reject at once, which the server answers with `503` and
 * `Retry-After` instead of piling up requests. For a Cluster that also means no client-side
 * retries after a lost node (`retryDelayOnFailover: 0`): the visitor's client retries instead,
 * and the slot map is refreshed every few seconds and on every `MOVED`.
 */
import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';

/** The client a store talks to: a single node, or a Cluster that routes keys by slot. */
export type RedisClient = Redis | Cluster;

/** How to reach Redis, as {@link openRedisClient} takes it. */
export interface RedisConnectionOptions {
  /** One `redis://` URL, or (with `cluster`) a comma-separated list of seed node URLs. */
  url: string;
  /** Treat `url` as Redis Cluster seed nodes. */
  cluster?: boolean;
  /** A command that gets no answer within this many ms fails (default 1000). */
  commandTimeoutMs?: number;
  /** Connecting at start fails after this many ms (default 3000). */
  connectTimeoutMs?: number;
  /** Extra ioredis options (per node, for a Cluster). */
  redisOptions?: Partial<RedisOptions>;
  /** Extra ioredis Cluster options (only with `cluster`). */
  clusterOptions?: Partial<ClusterOptions>;
}

/** A seed node of a Cluster, as parsed by {@link parseRedisSeeds}. */
export interface RedisSeed {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
}

/**
 * Parses a comma-separated list of `redis://` / `rediss://` URLs (Cluster seed nodes).
 *
 * @throws RangeError naming the first entry that is not such a URL, or when the entries
 * disagree on TLS or credentials (a Cluster client uses one set for every node)
 */
export function parseRedisSeeds(list: string): RedisSeed[] {
  const entries = list.split(',').map((entry) => entry.trim());
  const seeds = entries.map((entry): RedisSeed => {
    let parsed: URL;
    try {
      parsed = new URL(entry);
    } catch {
      throw new RangeError(`"${redactUrl(entry)}" is not a redis:// or rediss:// URL.`);
    }
    if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
      throw new RangeError(`"${redactUrl(entry)}" is not a redis:// or rediss:// URL.`);
    }
    // A Cluster has only database 0, so a /db path would be silently ignored.
    if (parsed.pathname !== '' && parsed.pathname !== '/' && parsed.pathname !== '/0') {
      throw new RangeError(`"${redactUrl(entry)}": a Redis Cluster has no databases but 0.`);
    }
    return {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port ? Number(parsed.port) : 6379,
      tls: parsed.protocol === 'rediss:',
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
  });
  const first = seeds[0]!;
  for (const seed of seeds) {
    if (
      seed.tls !== first.tls ||
      seed.username !== first.username ||
      seed.password !== first.password
    ) {
      throw new RangeError('Every seed node must use the same scheme and credentials.');
    }
  }
  return seeds;
}

/**
 * Checks a single Redis URL (`redis://` or `rediss://`, a host, at most a database number as
 * its path) and returns the database it names.
 *
 * Why: ioredis reads `/abc` as database `NaN` (and then throws from inside its connection
 * handler) and carries on in database 0 when Redis refuses a `SELECT`; either would start a
 * server on some other queue than the one configured.
 *
 * @throws RangeError naming the URL (password hidden) and what is wrong with it
 * @example
 * ```ts
 * parseRedisUrl('redis://:secret@redis.internal:6379/2'); // { db: 2 }
 * ```
 */
export function parseRedisUrl(url: string): { db: number } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new RangeError(`"${redactUrl(url)}" is not a redis:// or rediss:// URL.`);
  }
  if ((parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
    throw new RangeError(`"${redactUrl(url)}" is not a redis:// or rediss:// URL.`);
  }
  const path = parsed.pathname.replace(/^\//, '');
  if (path !== '' && !/^[0-9]{1,9}$/.test(path)) {
    throw new RangeError(`"${redactUrl(url)}": the path must be a database number, like /0.`);
  }
  return { db: path === '' ? 0 : Number(path) };
}

/**
 * Creates the client (not yet connected: call {@link connectRedisClient}).
 *
 * @example
 * ```ts
 * const client = createRedisClient({ url: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000', cluster: true });
 * await connectRedisClient(client, 3000);
 * ```
 */
export function createRedisClient(options: RedisConnectionOptions): RedisClient {
  const nodeOptions: RedisOptions = {
    // A command in flight when the connection breaks fails instead of waiting for a reconnect.
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 3000,
  };
  const backoff = (times: number) => Math.min(50 * 2 ** times, 2000);
  // Commands issued in one turn of the event loop (by all the requests it handles) go out in
  // one write: on a busy server, writing each command on its own cost about a sixth of the
  // CPU of a join (a system call each, and on loopback Redis' receive side too); batched, the
  // writes cost a third of that and Redis reads them in one go. Answers are unchanged.
  const enableAutoPipelining = true;
  if (!options.cluster) {
    return new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining,
      retryStrategy: backoff,
      ...nodeOptions,
      ...options.redisOptions,
    });
  }
  const seeds = parseRedisSeeds(options.url);
  const { tls, username, password } = seeds[0]!;
  // Cluster rejects these per-node options; its own equivalents are set below.
  const { retryStrategy, enableOfflineQueue, ...redisOptions } = options.redisOptions ?? {};
  void retryStrategy;
  void enableOfflineQueue;
  const cluster = new Cluster(
    seeds.map(({ host, port }) => ({ host, port })),
    {
      lazyConnect: true,
      enableOfflineQueue: false,
      // Batched per node: every key of a command shares its room's slot (see `redis-keys.ts`).
      enableAutoPipelining,
      clusterRetryStrategy: backoff,
      retryDelayOnFailover: 0,
      slotsRefreshTimeout: options.commandTimeoutMs ?? 1000,
      redisOptions: {
        ...nodeOptions,
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
        ...(tls ? { tls: {} } : {}),
        ...redisOptions,
      },
      ...options.clusterOptions,
    },
  );
  return cluster;
}

/**
 * Connects, rejecting within `timeoutMs`. Why the extra timer: a Cluster whose nodes answer
 * but report `cluster_state:fail` keeps retrying its ready check and never settles `connect()`.
 */
export async function connectRedisClient(client: RedisClient, timeoutMs: number): Promise<void> {
  try {
    await within(client.connect(), timeoutMs, `No ready connection within ${timeoutMs} ms.`);
    // Node connections are lazy, and with the offline queue off a command that reaches a node
    // whose connection is still being made fails ("Connection is closed."): the first burst
    // of requests to each node would get 503s. A PING to every node connects them all first.
    // (Connecting them from a '+node' listener instead races ioredis' own slot refresh.)
    if (!(client instanceof Cluster)) await checkSingleNode(client, timeoutMs);
    if (client instanceof Cluster) {
      await within(
        Promise.all(client.nodes('all').map((node) => node.ping())),
        timeoutMs,
        `Not every Cluster node answered within ${timeoutMs} ms.`,
      );
    }
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

/** A connection that works but is not the one configured; its message says what to change. */
export class RedisSetupError extends Error {
  override name = 'RedisSetupError';
}

/**
 * Checks that a single-node client is where its URL says: in the database it names, and not
 * on a node of a Redis Cluster (where every room in another node's slots would fail).
 *
 * @throws RedisSetupError saying what to change
 */
async function checkSingleNode(client: Redis, timeoutMs: number): Promise<void> {
  const db = client.options.db ?? 0;
  if (db !== 0) {
    // ioredis sends the URL's SELECT itself but, when Redis refuses it (a database past its
    // `databases` setting), goes on in database 0; asking again makes the refusal an error.
    try {
      await within(client.select(db), timeoutMs, 'No answer to SELECT.');
    } catch (error) {
      throw new RedisSetupError(`Redis has no database ${db} (${(error as Error).message}).`);
    }
  }
  // A Redis that does not answer INFO (renamed or refused by a provider) is not checked.
  const info = await within(client.info('cluster'), timeoutMs, 'No answer to INFO.').catch(
    () => '',
  );
  if (/^cluster_enabled:1/m.test(info)) {
    throw new RedisSetupError(
      'it is a node of a Redis Cluster: list the seed nodes with QUEUE_GATE_REDIS_CLUSTER=1 (or `cluster: true`).',
    );
  }
}

async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL (or seed list) without passwords, for messages. */
export function redactUrl(url: string): string {
  return url
    .split(',')
    .map((entry) => {
      try {
        const parsed = new URL(entry.trim());
        if (parsed.password) parsed.password = '***';
        return parsed.toString().replace(/\/$/, '');
      } catch {
        return 'the configured URL';
      }
    })
    .join(',');
}
