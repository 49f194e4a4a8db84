/**
 * How the {@link RedisStore} (see `redis-store.ts`) reads its records back from Redis replies:
 * hashes, rooms, claims, moves of `serving`, counters and draws.
 */
import type { DrawBeacon, RoomStatus } from '../../protocol.js';
import type {
  AdvanceRecord,
  ClaimRecord,
  CounterKey,
  CounterName,
  CounterSample,
  DrawRecord,
  RoomConfig,
  RoomRecord,
} from './queue-store.js';

/** A flat `HGETALL`-style reply as an object; null for an empty one. */
export function parseHash(flat: unknown): Record<string, string> | null {
  if (!Array.isArray(flat) || flat.length === 0) return null;
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[String(flat[i])] = String(flat[i + 1]);
  return hash;
}

export function roomFromHash(hash: Record<string, string>): RoomRecord {
  return {
    room: hash.room!,
    config: JSON.parse(hash.config!) as RoomConfig,
    status: hash.status as RoomStatus,
    serving: Number(hash.serving),
    issued: Number(hash.issued),
    createdAt: Number(hash.createdAt),
    version: Number(hash.version),
  };
}

/** A stored claim (JSON without the admission) with its admission beside it. */
export function claimFromJson(json: string, admission: string | null): ClaimRecord {
  const stored = JSON.parse(json) as Omit<ClaimRecord, 'admission'>;
  return { ...stored, admission: admission ?? '' };
}

/** Moves as stored (`at:serving:holdSeconds`); moves stored without a hold get `roomHold`. */
export function advancesFrom(entries: string[], roomHold: number): AdvanceRecord[] {
  return entries.map((entry) => {
    const [at, serving, holdSeconds] = entry.split(':');
    const hold = holdSeconds ? Number(holdSeconds) : roomHold;
    return { at: Number(at), serving: Number(serving), holdSeconds: hold };
  });
}

/** The hash field of a counter. */
export const counterField = (key: CounterKey): string =>
  JSON.stringify([key.name, key.room ?? '', key.code ?? '']);

/** A counter read back from its hash field. */
export function counterFrom(field: string, value: string): CounterSample {
  const [name, room, code] = JSON.parse(field) as [CounterName, string, string];
  return {
    name,
    ...(room !== '' ? { room } : {}),
    ...(code !== '' ? { code } : {}),
    value: Number(value),
  };
}

/** A draw hash with its entrants (a set: sorted, as every store returns them). */
export function drawFrom(hash: Record<string, string>, entrants: string[]): DrawRecord {
  return {
    seed: hash.seed!,
    commitment: hash.commitment!,
    committedAt: Number(hash.committedAt),
    opensAt: Number(hash.opensAt),
    drawnAt: hash.drawnAt ? Number(hash.drawnAt) : null,
    base: Number(hash.base),
    entrants: [...entrants].sort(),
    // The beacon fields (see `redis-beacon-scripts.ts`) only for a draw with a beacon.
    ...(hash.beacon
      ? { beacon: JSON.parse(hash.beacon) as DrawBeacon, beaconValue: hash.beaconValue || null }
      : {}),
  };
}
