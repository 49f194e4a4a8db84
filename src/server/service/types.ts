/**
 * The public shape of the queue service: its options, what it answers, and the operations the
 * routes, the ticker and embedders call. The store, the signer and the clock stay inside.
 */
import type { AdmissionClaims, AdmitResponse, JoinResponse, RoomStatus } from '../../protocol.js';
import type { SingleUseStore } from '../../verify/index.js';
import type { AdmissionControlDecision } from '../admission-control.js';
import type { FairnessRecorderOptions } from '../fairness-recorder.js';
import type { RoomGauges } from '../metrics.js';
import type { DrawSeed } from '../opening-draw.js';
import type { BeaconAnswer } from './beacon.js';
import type { TokenSigner } from '../token-signer.js';
import type { CounterSample, QueueStore, RoomConfig } from '../store/queue-store.js';

/** Options of `createQueueService`. */
export interface QueueServiceOptions {
  store: QueueStore;
  signer: TokenSigner;
  /** The server's public origin: issuer of tokens and default audience of admissions. */
  publicOrigin: string;
  /** Clock in epoch milliseconds (default `Date.now`); inject one in tests. */
  now?: () => number;
  /** Grace after a turn during which an unclaimed seq holds a slot (default 15 s). */
  claimGraceSeconds?: number;
  /** Makes the secret seed of an opening draw (default: 32 random bytes); inject in tests. */
  drawSeed?: () => DrawSeed;
  /** Sampling of the public fairness record (see `fairness-recorder.ts`). */
  fairness?: Omit<FairnessRecorderOptions, 'signer'>;
}

/** A room's configuration with its live figures, as `GET /admin/rooms/:room` answers. */
export interface RoomStats {
  room: string;
  status: RoomStatus;
  config: RoomConfig;
  /** The audience admissions actually carry (the configured one or the public origin). */
  effectiveAudience: string;
  serving: number;
  issued: number;
  waiting: number;
  ratePerSec: number;
  pending: number;
  active: number;
  claimsLastMinute: number;
  createdAt: number;
  /**
   * Pre-open tickets waiting for the opening draw, or for its beacon value (0 once ordered, or
   * without a draw).
   */
  preOpen: number;
}

/** What {@link QueueService.putRoom} did. */
export interface PutRoomResult {
  stats: RoomStats;
  /** Whether the room did not exist before (the admin API answers `201`). */
  created: boolean;
}

/** The serialized state of a room, shared byte for byte by every visitor. */
export interface StateSnapshot {
  body: string;
  etag: string;
}

/** What `GET /healthz` reports: the store answered, and how many rooms it holds. */
export interface ServiceHealth {
  status: 'ok';
  rooms: number;
}

/**
 * One existing room, read once by {@link QueueService.room}: its operations start from that
 * read, so a request that checks the room early (before reading a body or a proof) does not
 * read it again. Meant for one request; take a new one for the next.
 */
export interface QueueRoom {
  /** The room's id. */
  readonly id: string;
  /**
   * A new place (a pre-open ticket before a scheduled opening), or the same place again for a
   * ticket; `cohort` is required for a new visitor of a room with cohorts. In a room with
   * identity, `identity` (the site's assertion) makes it the person's one place (see
   * docs/identity.md).
   */
  join(ticket: string | undefined, cohort?: string, identity?: string): Promise<JoinResponse>;
  /** The admission for a ticket whose turn it is (`ticket` from the bearer header, or null). */
  admit(ticket: string | null): Promise<AdmitResponse>;
  /**
   * Checks an admission as the room's own booking site would (the queue's keys, issuer and
   * clock, the room's audience), without using it; see {@link QueueService.book}.
   *
   * @throws {TokenError} or {AdmissionError} when it does not verify
   */
  verifyBookingAdmission(token: string): Promise<AdmissionClaims>;
}

/** What the routes and the ticker call; see `createQueueService`. */
export interface QueueService {
  /** The room, read once for the operations of one request; 404 `room_not_found` if missing. */
  room(room: string): Promise<QueueRoom>;
  /** {@link QueueRoom.join} of the room, read here. */
  join(
    room: string,
    ticket: string | undefined,
    cohort?: string,
    identity?: string,
  ): Promise<JoinResponse>;
  state(room: string): Promise<StateSnapshot>;
  /** {@link QueueRoom.admit} of the room, read here. */
  admit(room: string, ticket: string | null): Promise<AdmitResponse>;
  /** The public fairness record (serialized once per `FAIRNESS_TTL_MS` per room). */
  fairness(room: string): Promise<StateSnapshot>;
  /** The browser origins that may call the room's endpoints, or null when there is no room. */
  allowedOrigins(room: string): Promise<string[] | null>;
  /** Runs admission control once for every room; returns each room's decision. */
  tick(): Promise<Map<string, AdmissionControlDecision>>;
  /**
   * Re-measures every room's rate without moving anything: what a process runs instead of
   * {@link QueueService.tick} while another process (the lease holder) moves the line.
   */
  refreshRates(): Promise<void>;
  /** Creates or reconfigures a room from an admin body (validated here). */
  putRoom(room: string, body: unknown): Promise<PutRoomResult>;
  stats(room: string): Promise<RoomStats>;
  advance(room: string, by: number): Promise<RoomStats>;
  setStatus(room: string, status: RoomStatus): Promise<RoomStats>;
  gauges(): Promise<RoomGauges[]>;
  /** The counters behind `/metrics`, summed over every process sharing the store. */
  counters(): Promise<CounterSample[]>;
  /** Counts a refused or failed request (`rejections` for 4xx, `errors` for 5xx). */
  countFailure(status: number, code: string, room?: string): Promise<void>;
  /** Whether the store answers; throws what the store throws when it does not. */
  health(): Promise<ServiceHealth>;
  /** The public keys admissions verify with (`/.well-known/jwks.json`). */
  jwks(): ReturnType<TokenSigner['jwks']>;
  /** Rotates the signing keys for every process sharing the store (see `keys/key-rotation.ts`). */
  rotateKeys(): Promise<ReturnType<TokenSigner['jwks']>>;
  /** Sets the value of the beacon round the room's draw is bound to (see `service/beacon.ts`). */
  supplyBeacon(room: string, body: Record<string, unknown>): Promise<BeaconAnswer>;
  /**
   * Books the place of a verified admission once, ever (for `/demo/book`): afterwards the place
   * gets no new admission and no other admission of it books.
   *
   * @throws {AdmissionError} `admission_used` when the place was booked before
   */
  book(claims: AdmissionClaims): Promise<void>;
  /** A generic single-use store backed by the queue store (used join proofs). */
  singleUseStore(): SingleUseStore;
}
