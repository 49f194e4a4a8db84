/**
 * The booking side the server runs itself (`/demo/book`): checking an admission as a booking
 * site would, and using its place once, in the queue's own store.
 */
import type { AdmissionClaims } from '../../protocol.js';
import {
  AdmissionError,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  verifyAdmission,
} from '../../verify/index.js';
import type { RoomRecord } from '../store/queue-store.js';
import type { ServiceContext } from './context.js';

/** Verifies `token` against the queue's own keys, issuer and clock and the room's audience. */
export function verifyBookingAdmission(
  { signer, publicOrigin, now }: ServiceContext,
  record: RoomRecord,
  token: string,
): Promise<AdmissionClaims> {
  return verifyAdmission(token, {
    jwks: signer.jwks(),
    room: record.room,
    audience: record.config.audience ?? publicOrigin,
    issuer: publicOrigin,
    now,
    // The queue server's own clock signed it: no allowance past `exp` is needed.
    clockToleranceSec: 0,
  });
}

/**
 * Books the place of verified `claims` once, ever: booked in the queue's store (not a separate
 * single-use store), so the place gets no new admission and no other admission of it books.
 */
export async function bookPlace(
  { store, now }: ServiceContext,
  claims: AdmissionClaims,
): Promise<void> {
  // Remembered past the last instant any admission of the place can be accepted.
  const keepUntil = (claims.placeExp + DEFAULT_CLOCK_TOLERANCE_SEC) * 1000;
  if (!(await store.bookPlace(claims.room, claims.seq, keepUntil, now()))) {
    throw new AdmissionError('admission_used');
  }
}
