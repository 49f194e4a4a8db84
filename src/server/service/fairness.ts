/** The public fairness record of a room (see `fairness-recorder.ts`), cached per process. */
import type { FairnessRecord } from '../../protocol.js';
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
  return async (room) => {
    const record = await context.requireRoom(room);
    const at = context.now();
    const cached = cache.get(room);
    if (cached && at - cached.at < FAIRNESS_TTL_MS) return cached;
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
}
