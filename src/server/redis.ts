/**
 * `queue-gate/server/redis`: the shared Redis (or Valkey, or Redis Cluster) store that lets many
 * server processes act as one. A separate entry point, so that importing `queue-gate/server`
 * never loads `ioredis` (an optional peer dependency): install it to use this module.
 *
 * @example
 * ```ts
 * import { RedisStore } from 'queue-gate/server/redis';
 * const store = await RedisStore.open({ url: 'redis://127.0.0.1:6379' });
 * const lease = store.lease('admission-control');
 * ```
 *
 * @packageDocumentation
 */
export { RedisStore } from './store/redis-store.js';
export type { RedisStoreOptions } from './store/redis-store.js';
export type { SeqBlockOptions } from './store/redis-seq-blocks.js';
export { DEFAULT_REDIS_KEY_PREFIX } from './store/redis-keys.js';
export { parseRedisSeeds, parseRedisUrl } from './store/redis-connection.js';
export type { RedisSeed } from './store/redis-connection.js';
export { createRedisLease } from './lease.js';
export type { LeaseScriptCall, RedisLeaseOptions } from './lease.js';
