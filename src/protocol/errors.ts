/** The error codes of the wire protocol, and which of them make a client discard its ticket. */

/**
 * Why a token (ticket, admission or identity assertion) was refused. Each refusal has its own
 * code so that operators can tell attacks from bugs in the metrics and logs.
 */
export type TokenErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_too_large'
  | 'token_bad_signature'
  | 'token_alg_not_allowed'
  | 'token_unknown_kid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_wrong_type'
  | 'token_wrong_room'
  | 'token_wrong_audience'
  | 'token_wrong_issuer'
  | 'token_missing_claim'
  | 'token_wrong_cohort'
  /** An identity assertion that lives longer than the server accepts (10 minutes). */
  | 'token_lifetime_too_long'
  /** An admission that does not belong to the identity the booking backend asked about. */
  | 'token_wrong_identity';

/** Every error code the server may send, as one string union (stable: clients branch on it). */
export type ErrorCode =
  | TokenErrorCode
  | 'invalid_room_id'
  | 'invalid_body'
  | 'body_too_large'
  | 'body_timeout'
  | 'unsupported_media_type'
  | 'room_not_found'
  | 'room_closed'
  | 'not_your_turn'
  | 'booking_full'
  | 'hold_expired'
  | 'cohort_not_open'
  | 'admission_used'
  /** Admin: the room's draw is not bound to a beacon round (`POST /admin/rooms/:room/beacon`). */
  | 'beacon_not_configured'
  /** Admin: a beacon value came before the opening froze the draw's entrants. */
  | 'beacon_too_early'
  /** Admin: the draw already has a different beacon value (it is set once). */
  | 'beacon_conflict'
  /** The room binds places to a signed-in identity and the request brought none. */
  | 'identity_required'
  /** The place was given up for another place of the same person (same identity). */
  | 'place_released'
  | 'unauthorized'
  | 'forbidden'
  | 'origin_not_allowed'
  | 'not_found'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'overloaded'
  | 'internal';

/**
 * Codes with which the server declares a ticket unusable. Only these make a client discard
 * its ticket; anything else (network errors, timeouts, 5xx, malformed answers) keeps it. An
 * answer whose error carries `token: "identity"` is about the identity assertion, never the
 * ticket, and never discards it whatever its code.
 */
export const TICKET_DISCARD_CODES: readonly ErrorCode[] = [
  'token_malformed',
  'token_too_large',
  'token_bad_signature',
  'token_alg_not_allowed',
  'token_unknown_kid',
  'token_expired',
  'token_not_yet_valid',
  'token_wrong_type',
  'token_wrong_room',
  'token_wrong_audience',
  'token_wrong_issuer',
  'token_missing_claim',
  'hold_expired',
  'place_released',
];
