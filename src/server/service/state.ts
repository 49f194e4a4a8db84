/**
 * The public state of a room, serialized once per change and shared byte for byte by every
 * visitor (and every cache in front of the server).
 */
import type { StateResponse } from '../../protocol.js';
import type { ServiceContext } from './context.js';
import { fingerprint } from './fingerprint.js';
import { identityMode } from './identity-rules.js';
import { basePoll, visitorRate } from './poll.js';
import type { StateSnapshot } from './types.js';

/** Reads a room's state: the same snapshot object until the line or its rate changes. */
export function createStateReader(
  context: ServiceContext,
): (room: string) => Promise<StateSnapshot> {
  const cache = new Map<string, { version: number; rate: number } & StateSnapshot>();
  return async (room) => {
    const record = await context.requireRoom(room);
    const at = context.now();
    const rate = await visitorRate(context.rateOf, record, at);
    const cached = cache.get(room);
    if (cached && cached.version === record.version && cached.rate === rate) return cached;
    const state: StateResponse = {
      status: record.status,
      serving: record.serving,
      issued: record.issued,
      ratePerSec: rate,
      pollAfterMs: basePoll(record, at),
      ...(record.config.opensAt !== null ? { opensAt: record.config.opensAt } : {}),
      updatedAt: at,
      ...identityMode(record.config),
    };
    const body = JSON.stringify(state);
    // The ETag leaves out `updatedAt`, so every process (and a restarted one) names the same
    // line by the same tag, and a CDN or browser revalidating against another process gets a
    // 304. Weak, because the bytes may differ in that one informational field.
    const { updatedAt: _informational, ...content } = state;
    const etag = `W/"${fingerprint(JSON.stringify(content))}"`;
    const entry = { version: record.version, rate, body, etag };
    cache.set(room, entry);
    return entry;
  };
}
