/**
 * Every Lua script of the Redis store under its command name, and the connection that has them
 * defined: one place that knows all the scripts, so a new family of operations is registered once.
 */
import {
  connectRedisClient,
  createRedisClient,
  RedisSetupError,
  redactUrl,
} from './redis-connection.js';
import type { RedisClient } from './redis-connection.js';
import { REDIS_BEACON_SCRIPTS } from './redis-beacon-scripts.js';
import { REDIS_CAPACITY_SCRIPTS } from './redis-capacity-scripts.js';
import { REDIS_DRAW_SCRIPTS } from './redis-draw-scripts.js';
import { REDIS_IDENTITY_SCRIPTS } from './redis-identity-scripts.js';
import type { RedisStoreOptions } from './redis-options.js';
import { REDIS_SCRIPTS } from './redis-scripts.js';
import { REDIS_SHARED_SCRIPTS } from './redis-shared-scripts.js';
import { StoreUnavailableError } from './store-errors.js';

/** The scripts, by the command name each is defined as. */
export const ALL_SCRIPTS = {
  ...REDIS_SCRIPTS,
  ...REDIS_DRAW_SCRIPTS,
  ...REDIS_BEACON_SCRIPTS,
  ...REDIS_SHARED_SCRIPTS,
  ...REDIS_IDENTITY_SCRIPTS,
  ...REDIS_CAPACITY_SCRIPTS,
};

/** A script's command name. */
export type ScriptName = keyof typeof ALL_SCRIPTS;

/**
 * A connected client with every script defined, failing within `connectTimeoutMs` with
 * {@link StoreUnavailableError}.
 */
export async function openScriptedClient(options: RedisStoreOptions): Promise<RedisClient> {
  const redis = createRedisClient(options);
  // Without a listener ioredis reports every failed reconnect as an unhandled error. The last
  // one says why a start fails (refused, NOAUTH, no such database) where the connect's own
  // rejection only says "Connection is closed.".
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  for (const [name, script] of Object.entries(ALL_SCRIPTS)) {
    redis.defineCommand(name, script);
  }
  try {
    await connectRedisClient(redis, options.connectTimeoutMs ?? 3000);
  } catch (error) {
    const what = options.cluster ? 'the Redis Cluster' : 'Redis';
    // Our own checks say best what is wrong; otherwise ioredis' last error does.
    const reason = (error instanceof RedisSetupError ? error : (lastError ?? (error as Error)))
      .message;
    throw new StoreUnavailableError(
      `Cannot connect to ${what} at ${redactUrl(options.url)}: ${reason}`,
      { cause: error },
    );
  }
  return redis;
}
