/**
 * Names of the Redis keys of a {@link RedisStore} (see `redis-store.ts`).
 *
 * Why the braces: Redis Cluster places keys by the part inside `{...}`, so every key of one
 * room (`{room}`) lands on one node and a Lua script may touch several of them at once. Keys
 * that scripts touch alone (the room index, counters, signing keys, the lease, one admission's
 * jti, one client's join count) need no tag.
 */

/** Default prefix of every key. */
export const DEFAULT_REDIS_KEY_PREFIX = 'queue-gate:';

/** The keys of one room, all in the same cluster slot. */
export interface RoomKeys {
  /** Hash: room, config (JSON), hold, status, serving, issued, createdAt, version. */
  room: string;
  /** List of `at:serving:holdSeconds`, oldest first. */
  advances: string;
  /** Hash: seq -> claim as JSON, without the signed admission. */
  claims: string;
  /** Hash: seq -> signed admission (dropped with the claim). */
  admissions: string;
  /** Sorted set: seq scored by claimedAt, to prune old claims without a scan. */
  claimed: string;
  /** Sorted set: booked seqs scored by until when the booking is remembered (epoch ms). */
  booked: string;
  /** Sorted set: seqs of outstanding (unconsumed) claims scored by their expiry, to count them. */
  active: string;
  /** List of fairness samples `at:serving:issued`, oldest first (bounded). */
  fairnessPoints: string;
  /** List of the samples' signed snapshots, oldest first (bounded). */
  fairnessSnapshots: string;
  /** Hash: minute (epoch ms) -> admissions counted in it (bounded). */
  fairnessMinutes: string;
  /** Hash: identity hash -> the place bound to it (see `identity-records.ts`). */
  identities: string;
  /** Sorted set: subs of released places scored by until when they are remembered (epoch ms). */
  released: string;
}

/** Key names under one prefix. */
export interface RedisKeys {
  /** Sorted set of room ids, scored by creation time. */
  rooms: string;
  /** Hash of counters: JSON `[name, room, code]` -> value. */
  counters: string;
  /** String: JSON array of the signing keys. */
  signingKeys: string;
  room(room: string): RoomKeys;
  /** Hash `start`, `count`: new places of one client in the current window (expires). */
  joins(client: string): string;
  /** String set once when a single-use key (a used join proof) is consumed. */
  jti(jti: string): string;
  /** String holding the owner of a lease. */
  lease(name: string): string;
}

/**
 * Key names under `prefix`.
 *
 * @example
 * ```ts
 * redisKeys('queue-gate:').room('demo').room; // 'queue-gate:room:{demo}'
 * ```
 */
export function redisKeys(prefix: string = DEFAULT_REDIS_KEY_PREFIX): RedisKeys {
  return {
    rooms: `${prefix}rooms`,
    counters: `${prefix}counters`,
    signingKeys: `${prefix}signing-keys`,
    room(room) {
      const base = `${prefix}room:{${room}}`;
      return {
        room: base,
        advances: `${base}:advances`,
        claims: `${base}:claims`,
        admissions: `${base}:admissions`,
        claimed: `${base}:claimed`,
        booked: `${base}:booked`,
        active: `${base}:active`,
        fairnessPoints: `${base}:fairness:points`,
        fairnessSnapshots: `${base}:fairness:snapshots`,
        fairnessMinutes: `${base}:fairness:minutes`,
        identities: `${base}:identities`,
        released: `${base}:released`,
      };
    },
    // Room ids never hold braces (see ROOM_ID_PATTERN); a jti comes from a token, so it is
    // encoded: a brace in it must not choose another key's slot or name another key.
    // A client key is an address or whatever an embedder passes: encoded like a jti.
    joins: (client) => `${prefix}joins:{${encodeURIComponent(client)}}`,
    jti: (jti) => `${prefix}jti:{${encodeURIComponent(jti)}}`,
    lease: (name) => `${prefix}lease:${name}`,
  };
}
