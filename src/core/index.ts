/**
 * The framework-free client core of queue-gate: everything needed to hold a place in a
 * virtual waiting room from any UI (the `<queue-gate>` element is one such UI).
 *
 * Start with {@link createQueueEngine}; the other exports are its injectable parts and the
 * pure functions it is made of, exported for custom UIs and for deterministic tests.
 *
 * @example
 * ```ts
 * import { createQueueEngine } from 'queue-gate/core';
 *
 * const engine = createQueueEngine({ endpoint: 'https://queue.example.com', room: 'concert' });
 * engine.subscribe(({ status, position, estimate }) => render(status, position, estimate));
 * engine.start();
 * ```
 *
 * @packageDocumentation
 */
// The engine's public types: everything `types.ts` declares (the root entry exports them too).
export type * from './types.js';
export { createQueueEngine, type QueueEngineOptions } from './queue-engine.js';
export { emptySnapshot } from './empty-snapshot.js';
export {
  ADMISSION_EXPIRED,
  CLOCK_SKEW_TOLERANCE_MS,
  initialMachineState,
  transition,
  type MachineEffect,
  type MachineEvent,
  type MachineState,
  type RequestKind,
  type TimerKind,
  type Transition,
} from './queue-machine.js';
export {
  createHttpTransport,
  parseRetryAfter,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type HttpTransport,
  type HttpTransportOptions,
  type RequestOptions,
} from './http-transport.js';
export {
  JOIN_CHALLENGE_HEADER,
  JOIN_PROOF_HEADER,
  MAX_CLIENT_POW_BITS,
  parsePowChallenge,
  solveJoinProof,
  type PowChallenge,
  type SolveJoinProofOptions,
} from './join-proof.js';
export {
  parseAdmitResponse,
  parseErrorResponse,
  parseJoinResponse,
  parseStateResponse,
} from './response-parsers.js';
export {
  createTicketStore,
  ticketStorageKey,
  EXPIRY_GRACE_MS,
  TICKET_STORE_VERSION,
  type StorageLike,
  type StoredTicket,
  type TicketRecord,
  type TicketStore,
  type TicketStoreOptions,
} from './ticket-store.js';
export { fallbackTicket, reconcileStoredTicket } from './trusted-ticket.js';
export {
  BOOKED_MEMORY_MS,
  BOOKED_STORE_VERSION,
  bookedStorageKey,
  bookedUntil,
  createBookedStore,
  type BookedRecord,
  type BookedStore,
  type BookedStoreOptions,
} from './booked-store.js';
export {
  TICKET_REFRESH_MAX_MS,
  nextRefreshBelow,
  refreshDue,
  type RefreshInput,
} from './ticket-refresh.js';
export {
  createTabCoordinator,
  endpointHash,
  tabChannelName,
  type ChannelLike,
  type CoordinatorHandlers,
  type TabCommand,
  type TabCoordinator,
  type TabCoordinatorOptions,
} from './tab-coordinator.js';
export {
  BACKOFF,
  SLOW_POLL_MS,
  backoffWindow,
  pollDelay,
  retryDelay,
  type PollDelayInput,
  type RetryDelayInput,
} from './poll-schedule.js';
export {
  createPositionTrack,
  estimateWait,
  observeServing,
  positionAt,
  type PositionTrack,
} from './position-estimate.js';
export { roundWait, CLOCK_TIME_AFTER_MS, MINUTES_UP_TO_MS, type WaitRange } from './wait-range.js';
export { askIdentity, type IdentityProvider } from './identity-assertion.js';
export { fetchIdentity } from './identity-url.js';
export { createDomLifecycle, type LifecycleSource } from './lifecycle.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export {
  discardsTicket,
  isIdentityFailure,
  roomStatusOf,
  toProblem,
  type TransportFailure,
  type TransportResult,
} from './errors.js';
