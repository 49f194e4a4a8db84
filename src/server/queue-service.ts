/**
 * The queue's behaviour, apart from HTTP: joining, the public state, claiming admission, the
 * admin operations and the ticker that runs admission control. The routes only translate.
 */
import { LIMITS, POLL_BOUNDS, pollIntervalFor } from '../protocol.js';
import type {
  AdmissionClaims,
  AdmitResponse,
  FairnessRecord,
  JoinResponse,
  RoomStatus,
  StateResponse,
  TicketClaims,
} from '../protocol.js';
import type { SingleUseStore } from '../verify/index.js';
import { AdmissionError, DEFAULT_CLOCK_TOLERANCE_SEC, TokenError } from '../verify/index.js';
import {
  DEFAULT_CLAIM_GRACE_SECONDS,
  admissionControl,
  admissionFigures,
  reservedForOthers,
} from './admission-control.js';
import type { AdmissionControlDecision, AdmissionPace } from './admission-control.js';
import { ApiError } from './api-error.js';
import { createFairnessRecorder } from './fairness-recorder.js';
import type { FairnessRecorderOptions } from './fairness-recorder.js';
import type { RoomGauges } from './metrics.js';
import { createOpeningGate, refuseClosedCohort } from './opening-gate.js';
import type { DrawSeed } from './opening-draw.js';
import { mergeRoomConfig, parseRoomConfigPatch } from './room-config.js';
import { measuredRate, turnOf } from './room-timeline.js';
import type { Turn } from './room-timeline.js';
import type { TokenSigner } from './token-signer.js';
import type {
  ClaimCapacity,
  ClaimRecord,
  CounterKey,
  QueueStore,
  RoomConfig,
  RoomRecord,
} from './store/queue-store.js';

/** Poll interval while a room does not move (paused, closed, not open yet), at least. */
const IDLE_POLL_MS = 5000;
/** Most places one admin `advance` may move. */
export const MAX_ADVANCE_BY = 1_000_000;

/** Options of {@link createQueueService}. */
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
  /** Pre-open tickets waiting for the opening draw (0 once it ran, or without one). */
  preOpen: number;
}

/** The serialized state of a room, shared byte for byte by every visitor. */
export interface StateSnapshot {
  body: string;
  etag: string;
}

/** What the routes and the ticker call; see {@link createQueueService}. */
export interface QueueService {
  readonly store: QueueStore;
  readonly signer: TokenSigner;
  readonly publicOrigin: string;
  now(): number;
  /** The room, or 404 `room_not_found`. */
  requireRoom(room: string): Promise<RoomRecord>;
  /**
   * A new place (a pre-open ticket before a scheduled opening), or the same place again for a
   * ticket; `cohort` is required for a new visitor of a room with cohorts. `known` is the room
   * as the caller just read it (via {@link QueueService.requireRoom}), so it is not read twice.
   */
  join(
    room: string,
    ticket: string | undefined,
    cohort?: string,
    known?: RoomRecord,
  ): Promise<JoinResponse>;
  state(room: string): Promise<StateSnapshot>;
  /** The admission for a ticket whose turn it is; `known` as for {@link QueueService.join}. */
  admit(room: string, ticket: string | null, known?: RoomRecord): Promise<AdmitResponse>;
  /** The public fairness record (serialized once per `FAIRNESS_TTL_MS` per room). */
  fairness(room: string): Promise<StateSnapshot>;
  /** Runs admission control once for every room; returns each room's decision. */
  tick(): Promise<Map<string, AdmissionControlDecision>>;
  /**
   * Re-measures every room's rate without moving anything: what a process runs instead of
   * {@link QueueService.tick} while another process (the lease holder) moves the line.
   */
  refreshRates(): Promise<void>;
  putRoom(room: string, body: unknown): Promise<RoomStats>;
  stats(room: string): Promise<RoomStats>;
  advance(room: string, by: number): Promise<RoomStats>;
  setStatus(room: string, status: RoomStatus): Promise<RoomStats>;
  gauges(): Promise<RoomGauges[]>;
  /** Counts a refused or failed request (`rejections` for 4xx, `errors` for 5xx). */
  countFailure(status: number, code: string, room?: string): Promise<void>;
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

/**
 * A ticket is re-signed (same place, later `exp`) on a rejoin once less than this share of its
 * life is left, so a visitor who waits longer than a ticket lives never holds an expired one.
 */
const REFRESH_WHEN_LEFT = 0.5;
/** How soon a visitor refused with `booking_full` is told to try again, in seconds. */
const BOOKING_FULL_RETRY_SECONDS = 3;
/** A pre-open ticket outlives the opening by the hold window and this much more. */
const PRE_OPEN_MARGIN_SECONDS = 60 * 60;

/** FNV-1a: a cheap, runtime-independent fingerprint for the ETag (not a security measure). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** How long one process serves the same fairness record, ms (the route's max-age matches). */
export const FAIRNESS_TTL_MS = 5000;

const cohortClaim = (cohort: string | undefined): { cohort?: string } =>
  cohort === undefined ? {} : { cohort };

function drawnOrRefuse(drawn: number | null): number {
  if (drawn === null) {
    // Only a store that lost data forgets a registration; the ticket cannot be honoured.
    throw new ApiError(410, 'hold_expired', 'This pre-open ticket is not in the opening draw.');
  }
  return drawn;
}

/**
 * Creates the queue service.
 *
 * @example
 * ```ts
 * const service = createQueueService({ store, signer, publicOrigin: 'https://queue.example.com' });
 * setInterval(() => void service.tick(), 1000);
 * ```
 */
export function createQueueService(options: QueueServiceOptions): QueueService {
  const { store, signer, publicOrigin } = options;
  const now = options.now ?? Date.now;
  const claimGraceMs = (options.claimGraceSeconds ?? DEFAULT_CLAIM_GRACE_SECONDS) * 1000;
  const rates = new Map<string, number>();
  // Pacing credit per room; kept in this process (losing it on restart costs at most one burst).
  const paces = new Map<string, AdmissionPace>();
  const stateCache = new Map<string, { version: number; rate: number } & StateSnapshot>();
  const gate = createOpeningGate({
    store,
    ...(options.drawSeed ? { drawSeed: options.drawSeed } : {}),
  });
  const recorder = createFairnessRecorder({ signer, ...options.fairness });
  const fairnessCache = new Map<string, { at: number } & StateSnapshot>();

  const requireRoom = async (room: string): Promise<RoomRecord> => {
    const record = await store.getRoom(room);
    if (!record) throw new ApiError(404, 'room_not_found', `There is no room named "${room}".`);
    return record;
  };

  const refreshRate = async (record: RoomRecord, at: number): Promise<number> => {
    const { advances, claims } = await store.getActivity(record.room, at);
    const rate = measuredRate(advances, record.serving, at);
    rates.set(record.room, rate);
    await recorder.sample(record, claims, at);
    return rate;
  };

  const rateOf = async (record: RoomRecord): Promise<number> =>
    rates.get(record.room) ?? refreshRate(record, now());

  const basePoll = (record: RoomRecord, at: number): number => {
    const idle =
      record.status !== 'open' || (record.config.opensAt !== null && at < record.config.opensAt);
    return idle ? Math.max(record.config.pollAfterMs, IDLE_POLL_MS) : record.config.pollAfterMs;
  };

  const statsOf = async (record: RoomRecord): Promise<RoomStats> => {
    const at = now();
    const activity = await store.getActivity(record.room, at);
    const draw = record.config.opensAt !== null ? await store.getDraw(record.room) : null;
    const figures = admissionFigures({
      now: at,
      serving: record.serving,
      issued: record.issued,
      claims: activity.claims,
      advances: activity.advances,
      claimGraceMs,
    });
    return {
      room: record.room,
      status: record.status,
      config: record.config,
      effectiveAudience: record.config.audience ?? publicOrigin,
      serving: record.serving,
      issued: record.issued,
      waiting: Math.max(0, record.issued - record.serving),
      ratePerSec: measuredRate(activity.advances, record.serving, at),
      pending: figures.pending,
      active: figures.active,
      claimsLastMinute: figures.claimsLastMinute,
      createdAt: record.createdAt,
      preOpen: draw && draw.drawnAt === null ? new Set(draw.entrants).size : 0,
    };
  };

  const count = (key: CounterKey): Promise<void> => store.incrementCounter(key);

  const preOpenAnswer = async (
    record: RoomRecord,
    token: string,
    expiresAt: number,
    cohort: string | undefined,
  ): Promise<JoinResponse> => {
    const at = now();
    const opensAt = record.config.opensAt ?? at;
    // Coming back exactly at the opening gains nothing (the draw does not reward it), so the
    // client is told to ask again shortly after it, bounded like any poll.
    const untilOpen = Math.min(
      POLL_BOUNDS.maxMs,
      Math.max(basePoll(record, at), opensAt - at + POLL_BOUNDS.minMs),
    );
    return {
      ticket: token,
      seq: 0,
      serving: record.serving,
      position: 0,
      ratePerSec: 0,
      pollAfterMs: untilOpen,
      ticketExpiresAt: expiresAt,
      holdSeconds: record.config.holdSeconds,
      status: record.status,
      serverTime: at,
      pre: true,
      opensAt,
      ...cohortClaim(cohort),
    };
  };

  const preOpenSeq = async (
    record: RoomRecord,
    claims: TicketClaims,
    at: number,
  ): Promise<number> => {
    const drawn = await gate.drawnSeq(record, claims.sub, at);
    if (drawn === 'not_drawn') {
      throw new ApiError(
        409,
        'not_your_turn',
        'The room has not opened yet; the draw decides the order then.',
      );
    }
    return drawnOrRefuse(drawn);
  };

  const checkAdmitCohort = (record: RoomRecord, claims: TicketClaims, at: number): void => {
    const cohorts = record.config.cohorts ?? [];
    if (cohorts.length === 0) return;
    const window = cohorts.find((candidate) => candidate.id === claims.cohort);
    if (window === undefined) {
      throw new ApiError(403, 'cohort_not_open', 'This ticket belongs to no cohort of this room.');
    }
    refuseClosedCohort(window, at);
  };

  /**
   * The turn of `seq` while its hold lasts, else null: measured from when the line reached the
   * place, a fact the store keeps, never from anything a client holds or can renew.
   */
  const heldTurn = async (room: string, seq: number, at: number): Promise<Turn | null> => {
    const advances = store.getAdvances
      ? await store.getAdvances(room, at)
      : (await store.getActivity(room, at)).advances;
    const turn = turnOf(advances, seq);
    if (turn === null || turn === 'forgotten' || at > turn.holdEndsAt) return null;
    return turn;
  };

  /** The room's `maxActive` as a claim for `seq` must respect it, or undefined for no limit. */
  const capacityOf = async (
    record: RoomRecord,
    seq: number,
    at: number,
  ): Promise<ClaimCapacity | undefined> => {
    const maxActive = record.config.maxActive;
    if (maxActive === null) return undefined;
    const { claims, advances } = await store.getActivity(record.room, at);
    const reserved = reservedForOthers(
      { now: at, serving: record.serving, issued: record.issued, claims, advances, claimGraceMs },
      seq,
    );
    return { maxActive, reserved };
  };

  /** Whether the place of `seq` can still be used: waiting, or within its hold and not booked. */
  const placeLives = async (record: RoomRecord, seq: number, at: number): Promise<boolean> => {
    if (seq > record.serving) return true;
    if ((await heldTurn(record.room, seq, at)) === null) return false;
    return !(await store.getClaim(record.room, seq, at))?.consumed;
  };

  /** When a pre-open ticket may expire at the earliest, epoch seconds. */
  const preOpenExpiry = (record: RoomRecord, at: number): number => {
    const opensAt = record.config.opensAt ?? at;
    return Math.ceil(opensAt / 1000) + record.config.holdSeconds + PRE_OPEN_MARGIN_SECONDS;
  };

  const refreshDue = (claims: TicketClaims, at: number): boolean =>
    claims.exp * 1000 - at < (claims.exp - claims.iat) * 1000 * REFRESH_WHEN_LEFT;

  /** A pre-open ticket for a `sub` still registered, or null when the draw does not know it. */
  const renewPreOpen = async (
    record: RoomRecord,
    claims: TicketClaims,
    at: number,
  ): Promise<{ token: string; expiresAt: number } | null> => {
    const draw = await store.getDraw(record.room);
    if (draw === null || !draw.entrants.includes(claims.sub)) return null;
    return signer.signTicket({
      sub: claims.sub,
      room: record.room,
      seq: 0,
      pre: true,
      expiresAt: preOpenExpiry(record, at),
      ...cohortClaim(claims.cohort),
    });
  };

  return {
    store,
    signer,
    publicOrigin,
    now,
    requireRoom,

    async join(room, ticket, cohortAsked, known) {
      let record = known ?? (await requireRoom(room));
      let token: string;
      let seq: number;
      let expiresAt: number;
      let cohort: string | undefined;
      if (ticket !== undefined) {
        // A valid ticket keeps its place, whatever the room's status: a reload never costs it.
        // An expired one too, as long as its place lives: a ticket is only the place's proof.
        const claims = await signer.verifyTicket(ticket, { room, acceptExpired: true });
        const placeTicket = (sub: string, place: number) => ({
          sub,
          room,
          seq: place,
          ...cohortClaim(claims.cohort),
        });
        const at = now();
        const expired = claims.exp * 1000 <= at;
        cohort = claims.cohort;
        token = ticket;
        seq = claims.seq;
        expiresAt = claims.exp * 1000;
        if (claims.pre) {
          const drawn = await gate.drawnSeq(record, claims.sub, at);
          if (drawn === 'not_drawn') {
            if (expired || refreshDue(claims, at)) {
              const renewed = await renewPreOpen(record, claims, at);
              if (renewed === null) throw new TokenError('token_expired');
              ({ token, expiresAt } = renewed);
            }
            return preOpenAnswer(record, token, expiresAt, cohort);
          }
          seq = drawnOrRefuse(drawn);
          // From now on the visitor holds an ordinary ticket for the drawn place; the pre-open
          // ticket keeps answering the same seq if it comes back.
          ({ token, expiresAt } = await signer.signTicket(placeTicket(claims.sub, seq)));
          record = (await store.getRoom(room)) ?? record;
        } else if (expired || refreshDue(claims, at)) {
          if (expired && !(await placeLives(record, seq, at))) {
            throw new TokenError('token_expired');
          }
          ({ token, expiresAt } = await signer.signTicket(placeTicket(claims.sub, seq)));
        }
      } else {
        if (record.status === 'closed') {
          throw new ApiError(403, 'room_closed', 'This room is closed and takes no new visitors.');
        }
        cohort = gate.checkCohort(record, cohortAsked, now());
        if (await gate.isPreOpen(record, now())) {
          const sub = globalThis.crypto.randomUUID();
          if (await gate.register(room, sub, now())) {
            const signed = await signer.signTicket({
              sub,
              room,
              seq: 0,
              pre: true,
              expiresAt: preOpenExpiry(record, now()),
              ...cohortClaim(cohort),
            });
            await count({ name: 'joins', room });
            return preOpenAnswer(record, signed.token, signed.expiresAt, cohort);
          }
        }
        // Every seq handed out after opening must come after the whole draw.
        if (record.config.opensAt !== null) await gate.settle(record, now());
        const allocated = await store.allocateSeq(room, now());
        if (allocated === null)
          throw new ApiError(404, 'room_not_found', `There is no room named "${room}".`);
        seq = allocated;
        const signed = await signer.signTicket({
          sub: globalThis.crypto.randomUUID(),
          room,
          seq,
          ...cohortClaim(cohort),
        });
        token = signed.token;
        expiresAt = signed.expiresAt;
        await count({ name: 'joins', room });
        record = (await store.getRoom(room)) ?? record;
      }
      const rate = await rateOf(record);
      const position = Math.max(0, seq - record.serving);
      return {
        ticket: token,
        seq,
        serving: record.serving,
        position,
        ratePerSec: rate,
        pollAfterMs: pollIntervalFor(position, rate, basePoll(record, now())),
        ticketExpiresAt: expiresAt,
        holdSeconds: record.config.holdSeconds,
        status: record.status,
        serverTime: now(),
        ...(record.config.opensAt !== null ? { opensAt: record.config.opensAt } : {}),
        ...cohortClaim(cohort),
      };
    },

    async state(room) {
      const record = await requireRoom(room);
      const rate = await rateOf(record);
      const cached = stateCache.get(room);
      if (cached && cached.version === record.version && cached.rate === rate) return cached;
      const at = now();
      const state: StateResponse = {
        status: record.status,
        serving: record.serving,
        issued: record.issued,
        ratePerSec: rate,
        pollAfterMs: basePoll(record, at),
        ...(record.config.opensAt !== null ? { opensAt: record.config.opensAt } : {}),
        updatedAt: at,
      };
      const body = JSON.stringify(state);
      // The ETag leaves out `updatedAt`, so every process (and a restarted one) names the same
      // line by the same tag, and a CDN or browser revalidating against another process gets a
      // 304. Weak, because the bytes may differ in that one informational field.
      const { updatedAt: _informational, ...content } = state;
      const etag = `W/"${fingerprint(JSON.stringify(content))}"`;
      const entry = { version: record.version, rate, body, etag };
      stateCache.set(room, entry);
      return entry;
    },

    async admit(room, ticket, known) {
      const record = known ?? (await requireRoom(room));
      if (ticket === null || ticket === '') {
        throw new ApiError(
          401,
          'token_missing',
          'Send the ticket as "Authorization: Bearer <ticket>".',
        );
      }
      if (ticket.length > LIMITS.maxTokenLength) {
        throw new ApiError(401, 'token_too_large', 'The ticket is too large.');
      }
      // An expired ticket still names its place: whether that place can be admitted is the
      // store's to say (the hold below), never the ticket's lifetime.
      const ticketClaims = await signer.verifyTicket(ticket, { room, acceptExpired: true });
      if (record.status === 'closed') {
        throw new ApiError(403, 'room_closed', 'This room is closed and admits nobody.');
      }
      const at = now();
      const { sub } = ticketClaims;
      const seq = ticketClaims.pre ? await preOpenSeq(record, ticketClaims, at) : ticketClaims.seq;
      checkAdmitCohort(record, ticketClaims, at);
      const existing = await store.getClaim(room, seq, at);
      if (existing?.consumed) {
        throw new ApiError(409, 'admission_used', 'This place has already been used to book.');
      }
      if (existing && existing.expiresAt > at && existing.sub === sub) {
        // A lost answer costs nothing: the retry gets the very same admission.
        return { admission: existing.admission, expiresAt: existing.expiresAt, serverTime: at };
      }
      if (seq > record.serving) {
        throw new ApiError(
          409,
          'not_your_turn',
          `Not your turn yet: ${seq - record.serving} place(s) ahead of you.`,
        );
      }
      const turn = await heldTurn(room, seq, at);
      if (turn === null) {
        throw new ApiError(
          410,
          'hold_expired',
          `Your turn passed more than ${record.config.holdSeconds} seconds ago.`,
        );
      }
      const signed = await signer.signAdmission({
        sub,
        room,
        seq,
        aud: record.config.audience ?? publicOrigin,
        holdEndsAt: turn.holdEndsAt,
        ...cohortClaim(ticketClaims.cohort),
      });
      const claim: ClaimRecord = {
        seq,
        sub,
        jti: signed.claims.jti,
        admission: signed.token,
        claimedAt: at,
        expiresAt: signed.expiresAt,
        consumed: false,
      };
      const winner = await store.recordClaim(room, claim, at, await capacityOf(record, seq, at));
      if (winner === 'full') {
        throw new ApiError(
          409,
          'booking_full',
          'Your turn has come, but the booking site is full for a moment: your place is kept; try again shortly.',
          { 'Retry-After': String(BOOKING_FULL_RETRY_SECONDS) },
        );
      }
      if (winner.consumed) {
        throw new ApiError(409, 'admission_used', 'This place has already been used to book.');
      }
      if (winner.sub !== sub) {
        throw new ApiError(403, 'forbidden', 'This place is held by another visitor.');
      }
      if (winner.jti === claim.jti) await count({ name: 'admissions', room });
      return { admission: winner.admission, expiresAt: winner.expiresAt, serverTime: at };
    },

    async fairness(room) {
      const record = await requireRoom(room);
      const at = now();
      const cached = fairnessCache.get(room);
      if (cached && at - cached.at < FAIRNESS_TTL_MS) return cached;
      const body: FairnessRecord = await recorder.build(record, await store.getDraw(room), at);
      const text = JSON.stringify(body);
      const entry = { at, body: text, etag: `W/"${fingerprint(text)}"` };
      fairnessCache.set(room, entry);
      return entry;
    },

    async tick() {
      const decisions = new Map<string, AdmissionControlDecision>();
      for (const record of await store.listRooms()) {
        const at = now();
        // The draw runs at opening even when nobody joins or claims then.
        if (record.config.opensAt !== null && at >= record.config.opensAt) {
          await gate.settle(record, at);
        }
        const activity = await store.getActivity(record.room, at);
        const decision = admissionControl({
          now: at,
          config: record.config,
          status: record.status,
          serving: record.serving,
          issued: record.issued,
          claims: activity.claims,
          advances: activity.advances,
          claimGraceMs,
          pace: paces.get(record.room) ?? null,
        });
        paces.set(record.room, decision.pace);
        decisions.set(record.room, decision);
        const moved =
          decision.advanceBy > 0
            ? ((await store.advanceServing(record.room, decision.serving, at)) ?? record)
            : record;
        await refreshRate(moved, at);
      }
      return decisions;
    },

    async refreshRates() {
      for (const record of await store.listRooms()) await refreshRate(record, now());
    },

    async putRoom(room, body) {
      const patch = parseRoomConfigPatch(body, now());
      const existing = await store.getRoom(room);
      const record = await store.putRoomConfig(
        room,
        mergeRoomConfig(existing?.config ?? null, patch),
        now(),
      );
      // The commitment is published before anyone can arrive for the opening.
      await gate.commitIfScheduled(record, now());
      return statsOf(record);
    },

    async stats(room) {
      return statsOf(await requireRoom(room));
    },

    async advance(room, by) {
      if (!Number.isInteger(by) || by < 1 || by > MAX_ADVANCE_BY) {
        throw new ApiError(
          400,
          'invalid_body',
          `"by" must be an integer from 1 to ${MAX_ADVANCE_BY}.`,
        );
      }
      const record = await requireRoom(room);
      const at = now();
      const moved = (await store.advanceServing(room, record.serving + by, at)) ?? record;
      await refreshRate(moved, at);
      return statsOf(moved);
    },

    async setStatus(room, status) {
      await requireRoom(room);
      const record = await store.setRoomStatus(room, status, now());
      if (!record) throw new ApiError(404, 'room_not_found', `There is no room named "${room}".`);
      return statsOf(record);
    },

    async gauges() {
      const gauges: RoomGauges[] = [];
      for (const record of await store.listRooms()) {
        const stats = await statsOf(record);
        gauges.push({
          room: record.room,
          waiting: stats.waiting,
          serving: stats.serving,
          issued: stats.issued,
          active: stats.active,
          pending: stats.pending,
          ratePerSec: stats.ratePerSec,
          open: record.status === 'open',
        });
      }
      return gauges;
    },

    async countFailure(status, code, room) {
      await count(status >= 500 ? { name: 'errors', code } : { name: 'rejections', room, code });
    },

    async book(claims) {
      // Remembered past the last instant any admission of the place can be accepted.
      const keepUntil = (claims.placeExp + DEFAULT_CLOCK_TOLERANCE_SEC) * 1000;
      if (!(await store.bookPlace(claims.room, claims.seq, keepUntil, now()))) {
        throw new AdmissionError('admission_used');
      }
    },

    singleUseStore() {
      return { consume: (key, expiresAtMs) => store.consumeJti(key, expiresAtMs, now()) };
    },
  };
}
