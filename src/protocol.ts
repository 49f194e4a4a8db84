/**
 * The queue-gate wire protocol: paths, message shapes, token types, error codes and limits.
 *
 * This module is the one source of truth that the client core, the element, the reference
 * server, the verifier and the mocks all import. It and the `protocol/` files it gathers
 * import nothing else, so it can be loaded anywhere (browsers, Node, edge runtimes) at no cost.
 *
 * @packageDocumentation
 */

export {
  PROTOCOL_VERSION,
  ROOM_STATUSES,
  ROOM_ID_PATTERN,
  isValidRoomId,
  PATHS,
  type RoomStatus,
  type RoomIdentityMode,
} from './protocol/rooms.js';
export type {
  JoinRequest,
  JoinResponse,
  StateResponse,
  AdmitResponse,
  ErrorResponse,
} from './protocol/messages.js';
export { TICKET_DISCARD_CODES, type TokenErrorCode, type ErrorCode } from './protocol/errors.js';
export {
  TOKEN_TYPES,
  type TicketClaims,
  type AdmissionClaims,
  type FairnessSnapshotClaims,
} from './protocol/tokens.js';
export type {
  DrawBeacon,
  FairnessBeacon,
  FairnessDraw,
  FairnessRecord,
} from './protocol/fairness.js';
export {
  FAIRNESS_TOKEN_TYPES,
  type DrawCommitmentClaims,
  type DrawRevealClaims,
  type FairnessSeriesClaims,
  type FairnessSignedFacts,
} from './protocol/fairness-tokens.js';
export {
  MAX_JOIN_POW_BITS,
  ADMISSION_FIELD,
  LIMITS,
  POLL_BOUNDS,
  pollIntervalFor,
} from './protocol/limits.js';
