/**
 * What a store keeps for places bound to a person (see `service/join-identity.ts`): which place
 * each identity hash holds in a room, and which places were given up for another place of the
 * same person. Part of `QueueStore`; the embedded store keeps them in
 * `memory-identities.ts`, Redis in `redis-identities.ts`.
 *
 * Only identity hashes are stored (`idh`, keyed per room), never a site's user id.
 */
/**
 * The place a person (an identity hash, see `identity-hash.ts`) holds in a room: named by the
 * `sub` its tickets carry, which stays the place's name from its pre-open registration on.
 */
export interface IdentityBinding {
  /** The `sub` of the place's tickets. */
  sub: string;
  /** The place's seq; 0 for a pre-open registration (the opening draw gives its seq). */
  seq: number;
  /** The place's cohort, in a room with cohorts. */
  cohort?: string;
}

/** A compare-and-replace of an identity's binding (see `QueueStore.bindIdentity`). */
export interface IdentityBindingChange {
  /** The identity hash. */
  idh: string;
  /** The binding the caller read (null: none); the change happens only if it still holds. */
  expected: IdentityBinding | null;
  /** The binding to set. */
  next: IdentityBinding;
  /** A place given up in the same atomic step (see `QueueStore.releasePlace`). */
  release?: { sub: string; keepUntil: number };
}

/** The identity operations of a `QueueStore`; each one atomic across processes. */
export interface IdentityStore {
  /**
   * The place bound to identity hash `idh` in `room`, or null.
   */
  getIdentityBinding(room: string, idh: string): Promise<IdentityBinding | null>;
  /**
   * Sets `change.next` as the identity's binding if its binding is still `change.expected`
   * (same `sub`, `seq` and `cohort`; null for none), and then, in the same atomic step,
   * releases `change.release`. Returns the binding the identity holds afterwards: `next` when
   * the change was made, the other one when another process changed it first. Durable
   * before it resolves.
   *
   * @throws RoomNotFoundError when the room does not exist
   */
  bindIdentity(room: string, change: IdentityBindingChange, now: number): Promise<IdentityBinding>;
  /**
   * Marks the place whose tickets carry `sub` as given up (for another place of the same
   * person) until `keepUntil` (epoch ms; past it no ticket of the place can be honoured).
   * Durable before it resolves.
   */
  releasePlace(room: string, sub: string, keepUntil: number, now: number): Promise<void>;
  /** Whether the place whose tickets carry `sub` was released (and is still remembered). */
  isPlaceReleased(room: string, sub: string, now: number): Promise<boolean>;
}

/**
 * A binding as one string (null: none): how stores keep it and compare it, so the embedded
 * store and the Redis script agree on "still the binding the caller read".
 */
export function encodeBinding(binding: IdentityBinding | null): string {
  return binding === null ? '' : JSON.stringify([binding.sub, binding.seq, binding.cohort ?? null]);
}

/** The binding of {@link encodeBinding}'s string. */
export function decodeBinding(text: string | null | undefined): IdentityBinding | null {
  if (!text) return null;
  const [sub, seq, cohort] = JSON.parse(text) as [string, number, string | null];
  return cohort === null ? { sub, seq } : { sub, seq, cohort };
}
