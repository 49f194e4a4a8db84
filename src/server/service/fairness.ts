/** The public fairness record of a room (see `fairness-recorder.ts`), cached per process. */
import type { FairnessRecord } from '../../protocol.js';
import type { RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';
import { fingerprint } from './fingerprint.js';
import type { StateSnapshot } from './types.js';

/** How long one process serves the same fairness record, ms (the route's max-age matches). */
export const FAIRNESS_TTL_MS = 5000;

/** Reads a room's fairness record, built at most once per {@link FAIRNESS_TTL_MS}. */
export function createFairnessReader(
  context: ServiceContext,
): (room: string) => Promise<StateSnapshot> {
  const cache = new Map<string, { at: number } & StateSnapshot>();
  // One build per room at a time: requests that arrive while it runs share it. Without this,
  // every request arriving between the copy going stale and the new one being ready built its
  // own (reading and sorting every entrant of the draw), so a few dozen requests at once from
  // one client held the process for seconds.
  const building = new Map<string, Promise<{ at: number } & StateSnapshot>>();
  const build = async (record: RoomRecord, at: number) => {
    const room = record.room;
    const body: FairnessRecord = await context.recorder.build(
      record,
      await context.store.getDraw(room),
      at,
    );
    const text = JSON.stringify(body);
    const entry = { at, body: text, etag: `W/"${fingerprint(text)}"` };
    cache.set(room, entry);
    return entry;
  };
  return async (room) => {
    const record = await context.requireRoom(room);
    const at = context.now();
    const cached = cache.get(room);
    if (cached && at - cached.at < FAIRNESS_TTL_MS) return cached;
    let pending = building.get(room);
    if (pending === undefined) {
      pending = build(record, at).finally(() => building.delete(room));
      building.set(room, pending);
    }
    return pending;
  };
}
