/**
 * One change of a room's configuration at a time, among every request of this process and
 * every process sharing its store.
 *
 * Why: `PUT /admin/rooms/:room` reads the configuration, merges the fields the request names
 * and writes the whole of it back. Two such changes at once (two operators, an operator and a
 * script, at one process or two) would each write back the other's field as it was before,
 * so one change would be lost although both were answered `200`.
 */
import { ApiError } from '../api-error.js';
import type { QueueStore } from '../store/queue-store.js';

/** How long the store's lease lasts if its holder dies mid-change. */
const LEASE_TTL_MS = 5_000;
/** How long a change waits for another one before answering `503`. */
const WAIT_MS = 6_000;
const RETRY_MS = 20;

/** Changes waiting in this process, per store and room: each starts when the one before ends. */
const queues = new WeakMap<QueueStore, Map<string, Promise<unknown>>>();

/**
 * Runs `change` once no other configuration change of `room` runs in this process or, under
 * the store's lease `room-config:<room>`, in any process sharing `store`.
 *
 * @throws ApiError `503 overloaded` with `Retry-After` when another process kept the room
 *   busy for longer than a change takes
 * @example
 * ```ts
 * const record = await changingRoomConfig(store, 'concert', () => store.putRoomConfig(...));
 * ```
 */
export function changingRoomConfig<T>(
  store: QueueStore,
  room: string,
  change: () => Promise<T>,
): Promise<T> {
  let byRoom = queues.get(store);
  if (!byRoom) {
    byRoom = new Map();
    queues.set(store, byRoom);
  }
  const rooms = byRoom;
  const before = rooms.get(room) ?? Promise.resolve();
  const run = before.then(
    () => underLease(store, room, change),
    () => underLease(store, room, change),
  );
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  rooms.set(room, settled);
  void settled.then(() => {
    if (rooms.get(room) === settled) rooms.delete(room);
  });
  return run;
}

async function underLease<T>(
  store: QueueStore,
  room: string,
  change: () => Promise<T>,
): Promise<T> {
  // A lease of its own for each change: its owner is new, so no other change can renew it.
  const lease = store.lease(`room-config:${room}`, { ttlMs: LEASE_TTL_MS });
  const until = Date.now() + WAIT_MS;
  while (!(await lease.acquire())) {
    if (Date.now() > until) {
      throw new ApiError(
        503,
        'overloaded',
        'Another change of this room is still being made; try again.',
        { 'Retry-After': '2' },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  try {
    return await change();
  } finally {
    await lease.release().catch(() => {});
  }
}
