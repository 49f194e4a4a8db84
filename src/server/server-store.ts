/**
 * Node-only: what a server keeps between starts. Opens the embedded store (or the shared Redis
 * store), loads or makes the admin token, and creates the rooms that must exist at start.
 */
import { generateAdminToken, loadOrCreateAdminToken } from './admin-token.js';
import { loadRedisModule } from './redis-loader.js';
import { mergeRoomConfig } from './room-config.js';
import { createFilePersistence } from './store/file-persistence.js';
import { MemoryStore } from './store/memory-store.js';
import type { QueueStore, RoomConfig } from './store/queue-store.js';

/** Where the queue lives. */
export interface StoreChoice {
  /** Data directory of the embedded store; null keeps everything in memory. */
  dataDir: string | null;
  redisUrl?: string;
  redisCluster?: boolean;
  redisKeyPrefix?: string;
}

/**
 * Opens the store. The Redis module is loaded only when asked for, so the embedded store never
 * pulls in the Redis client (an optional peer dependency: without it, this says to install it).
 *
 * @example
 * ```ts
 * const store = await openServerStore({ dataDir: null });
 * ```
 */
export async function openServerStore(choice: StoreChoice): Promise<QueueStore> {
  const { dataDir } = choice;
  return choice.redisUrl
    ? await (
        await loadRedisModule(() => import('./redis.js'))
      ).RedisStore.open({
        url: choice.redisUrl,
        ...(choice.redisCluster ? { cluster: true } : {}),
        ...(choice.redisKeyPrefix ? { keyPrefix: choice.redisKeyPrefix } : {}),
      })
    : await MemoryStore.open(
        dataDir === null ? {} : { persistence: createFilePersistence(dataDir) },
      );
}

/**
 * The admin token: the given one, else one loaded from (or generated into) the data directory.
 *
 * @example
 * ```ts
 * const { token, generated } = await resolveAdminToken(undefined, null);
 * ```
 */
export async function resolveAdminToken(
  given: string | undefined,
  dataDir: string | null,
): Promise<{ token: string; generated: boolean }> {
  if (given) return { token: given, generated: false };
  return dataDir === null
    ? { token: generateAdminToken(), generated: true }
    : await loadOrCreateAdminToken(dataDir);
}

/**
 * Creates the rooms that are missing; existing rooms keep their settings.
 *
 * @example
 * ```ts
 * await ensureRooms(store, { demo: { admitPerMinute: 30 } }, Date.now);
 * ```
 */
export async function ensureRooms(
  store: QueueStore,
  rooms: Record<string, Partial<RoomConfig>>,
  now: () => number,
): Promise<void> {
  for (const [room, config] of Object.entries(rooms)) {
    if (!(await store.getRoom(room)))
      await store.putRoomConfig(room, mergeRoomConfig(null, config), now());
  }
}
