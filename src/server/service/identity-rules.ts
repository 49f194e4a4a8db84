/**
 * The rules of places bound to a person that every ticket meets, at a rejoin and at admit:
 * a released place is gone for good, and a room that requires identity honours only places
 * bound to one. Also the person's identity hash from their assertion.
 */
import type { RoomIdentityMode, TicketClaims } from '../../protocol.js';
import { identityHash } from '../../verify/identity-hash.js';
import { ApiError } from '../api-error.js';
import { verifyIdentityAssertion } from '../identity/identity-assertion.js';
import type { RoomConfig, RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';

/** The 401 of a room that binds places to a person, for a request that names nobody. */
export function identityRequired(): ApiError {
  return new ApiError(
    401,
    'identity_required',
    'This waiting room holds places for signed-in visitors only: sign in on the site, then join.',
  );
}

/** The 410 of a ticket whose place its person gave up for another place. */
export function placeReleased(): ApiError {
  return new ApiError(
    410,
    'place_released',
    'This place was given up for another place of the same person.',
  );
}

/** `identity` of the room's state and join answers: absent for a room without identity. */
export function identityMode(config: RoomConfig): { identity?: RoomIdentityMode } {
  if (!config.identity) return {};
  return { identity: config.identityRequired === true ? 'required' : 'optional' };
}

/**
 * Refuses a ticket whose place was released, or that is bound to nobody in a room that
 * requires identity. Costs a store read only in rooms with identity (or for bound tickets).
 */
export async function refuseUnboundOrReleased(
  { store }: ServiceContext,
  record: RoomRecord,
  claims: TicketClaims,
  at: number,
): Promise<void> {
  if (!record.config.identity && claims.idh === undefined) return;
  if (await store.isPlaceReleased(record.room, claims.sub, at)) throw placeReleased();
  if (record.config.identityRequired === true && claims.idh === undefined) {
    throw identityRequired();
  }
}

/** The room's identity hash of the person an assertion names (401 with `token: "identity"`). */
export async function identityHashOf(
  { now }: ServiceContext,
  record: RoomRecord,
  assertion: string,
): Promise<string> {
  const identity = record.config.identity!;
  const sub = await verifyIdentityAssertion(assertion, identity, now());
  return identityHash({ hashKey: identity.hashKey, issuer: identity.issuer, sub });
}
