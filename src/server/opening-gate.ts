/**
 * Scheduled opening and cohorts, apart from the rest of the queue: who gets a pre-open ticket,
 * when the opening draw runs, which seq a pre-open ticket was drawn, and whose cohort window
 * is open. The queue service asks this module before it hands out a seq or an admission.
 *
 * Why the draw runs lazily (at the first join, admit or tick after `opensAt`) and not on a
 * timer: `runDraw` is atomic and idempotent in the store, so whichever process gets there first
 * runs it and the others read the same result; a crash before it changes nothing, a crash after
 * it lost nothing, and nothing depends on a timer firing on time.
 *
 * A draw bound to a beacon round freezes its entrants the same way, then orders nobody until
 * the round's value is in the store (`setDrawBeacon`): its pre-open visitors keep their
 * pre-open tickets meanwhile, and `serving` stays below the draw ({@link OpeningGate.heldBelow}).
 */
import { ApiError } from './api-error.js';
import { fetchBeaconValue } from './draw-beacon.js';
import { createDrawSeed, drawnSeqs } from './opening-draw.js';
import type { DrawSeed } from './opening-draw.js';
import type { DrawBeacon } from '../protocol.js';
import type { CohortWindow, DrawRecord, QueueStore, RoomRecord } from './store/queue-store.js';

/** Options of {@link createOpeningGate}. */
export interface OpeningGateOptions {
  store: QueueStore;
  /** Makes a draw seed (default: 32 random bytes); inject in tests. */
  drawSeed?: () => DrawSeed | Promise<DrawSeed>;
  /** Fetches a beacon round's value from its `url` (default {@link fetchBeaconValue}). */
  fetchBeacon?: (beacon: DrawBeacon) => Promise<string | null>;
}

/** How often a process looks again whether a waiting draw's beacon value came in, ms. */
export const BEACON_RECHECK_MS = 1000;

/** What the queue service asks; see {@link createOpeningGate}. */
export interface OpeningGate {
  /**
   * True when a new visitor arriving at `at` is pre-open: the room opens later and its draw has
   * not run. Commits a draw for a room that has none yet (a room stored before draws existed).
   */
  isPreOpen(record: RoomRecord, at: number): Promise<boolean>;
  /** Registers a pre-open `sub`; false when the draw ran meanwhile (give an ordinary seq). */
  register(room: string, sub: string, at: number): Promise<boolean>;
  /**
   * Runs the room's draw if it is due and has not run: called before any ordinary seq is handed
   * out, so that no visitor arriving after opening is numbered inside the draw.
   */
  settle(record: RoomRecord, at: number): Promise<DrawRecord | null>;
  /** The drawn seq of a pre-open `sub`, or null while the draw has not run (or lost it). */
  drawnSeq(record: RoomRecord, sub: string, at: number): Promise<number | null | 'not_drawn'>;
  /** Commits a draw when a room gets a future `opensAt` and has none (one draw per room). */
  commitIfScheduled(record: RoomRecord, at: number): Promise<void>;
  /**
   * Whether `sub` is registered in the room's draw (false without a draw). Answered from this
   * process's copy of the entrants while it holds `sub`; the draw is read again only for a
   * `sub` it does not hold, which only a new registration makes.
   */
  isEntrant(room: string, sub: string): Promise<boolean>;
  /**
   * Whether `sub` is in the room's draw, registering it first while the draw has not run: for
   * a pre-open place that was handed out before its registration was known to be stored (a
   * person's place is bound before it is registered, and a failed registration must not leave
   * them told "you are in the draw" while they are not). Idempotent; costs nothing for a `sub`
   * this process already holds, one store write otherwise.
   */
  keepRegistered(room: string, sub: string, at: number): Promise<boolean>;
  /**
   * While the room's draw froze and waits for its beacon value (as this process last saw after
   * {@link OpeningGate.settle}): the draw's `base`, which `serving` must not pass, since no seq
   * of the draw has a visitor yet. Null otherwise.
   */
  heldBelow(room: string): number | null;
  /** Takes a draw read after its beacon value was set, so this process orders it at once. */
  learn(room: string, draw: DrawRecord): Promise<void>;
  /**
   * Refuses (403 `cohort_not_open`, with `opensAt` when it will open) a visitor whose cohort
   * window is not open at `at`; 400 `invalid_body` for a missing or unknown cohort in a room
   * with cohorts, and for any cohort in a room without them. Returns the cohort (undefined in a
   * room without cohorts).
   */
  checkCohort(record: RoomRecord, cohort: string | undefined, at: number): string | undefined;
}

interface Drawn {
  draw: DrawRecord;
  seqs: Map<string, number>;
}

/**
 * Creates the gate.
 *
 * @example
 * ```ts
 * const gate = createOpeningGate({ store });
 * if (await gate.isPreOpen(record, now)) await gate.register(room, sub, now);
 * else await gate.settle(record, now);
 * ```
 */
export function createOpeningGate(options: OpeningGateOptions): OpeningGate {
  const { store } = options;
  const makeSeed = options.drawSeed ?? (() => createDrawSeed());
  const fetchBeacon = options.fetchBeacon ?? ((beacon) => fetchBeaconValue(beacon));
  // A finished draw never changes, so its order is computed once per process.
  const drawn = new Map<string, Drawn>();
  // Rooms known to have no draw, by the opensAt they had then (a new opensAt asks again).
  const none = new Map<string, number | null>();
  // Rooms whose draw is known to be committed and not run: a pre-open join then goes straight
  // to the registration (which refuses atomically once the draw ran) without reading the draw,
  // whose entrants may be many.
  const pending = new Map<string, number>();
  // Rooms whose draw froze and waits for its beacon value, with when this process last looked
  // (a process that did not take the value itself sees it within BEACON_RECHECK_MS).
  const waiting = new Map<string, { draw: DrawRecord; readAt: number }>();
  const fetching = new Set<string>();
  // Entrants of each room's draw as this process last read them (a draw's entrants only grow).
  const entrants = new Map<string, Set<string>>();

  const hold = (room: string, sub: string): void => {
    let known = entrants.get(room);
    if (known === undefined) entrants.set(room, (known = new Set()));
    known.add(sub);
  };

  const isEntrant = async (room: string, sub: string): Promise<boolean> => {
    if (entrants.get(room)?.has(sub)) return true;
    const draw = await store.getDraw(room);
    if (draw === null) return false;
    const known = new Set(draw.entrants);
    entrants.set(room, known);
    return known.has(sub);
  };

  const remember = async (room: string, draw: DrawRecord | null): Promise<Drawn | null> => {
    if (draw === null || draw.drawnAt === null) return null;
    const beaconValue = draw.beaconValue ?? null;
    if (draw.beacon && beaconValue === null) return null;
    const seqs = await drawnSeqs(draw.seed, draw.entrants, draw.base, beaconValue);
    const entry = { draw, seqs };
    drawn.set(room, entry);
    waiting.delete(room);
    // Registrations are over: the entrant set is asked no more, and may be large.
    entrants.delete(room);
    return entry;
  };

  // Asks the beacon's URL for the round in the background (a join never waits on the network);
  // the value found is stored like an admin's, once, and ordered at this process's next look.
  const fetchInBackground = (room: string, draw: DrawRecord, at: number): void => {
    if (!draw.beacon?.url || fetching.has(room)) return;
    fetching.add(room);
    void fetchBeacon(draw.beacon)
      .then(async (value) => {
        if (value !== null) await store.setDrawBeacon(room, value, at);
      })
      .catch(() => undefined)
      .finally(() => {
        fetching.delete(room);
        // Looked at again at the next settle (the draw stays held until then).
        const looked = waiting.get(room);
        if (looked) looked.readAt = Number.NEGATIVE_INFINITY;
      });
  };

  const commit = async (record: RoomRecord, at: number, opensAt: number): Promise<DrawRecord> => {
    const { seed, commitment } = await makeSeed();
    none.delete(record.room);
    // The beacon round is fixed here, with the commitment, before any entrant can arrive.
    const beacon = record.config.beacon ?? null;
    return store.commitDraw(record.room, { seed, commitment, committedAt: at, opensAt, beacon });
  };

  const settle = async (record: RoomRecord, at: number): Promise<Drawn | null> => {
    const opensAt = record.config.opensAt;
    if (opensAt === null) return null;
    const known = drawn.get(record.room);
    if (known) return known;
    if (none.has(record.room) && none.get(record.room) === opensAt) return null;
    if (at < opensAt) {
      // Before the opening nothing is drawn here; reading the draw (every entrant, sorted) for
      // each pre-open claim or rejoin would let one ticket replayed in a loop make the server
      // sort the whole entrant list per request. Once seen committed and not run, it is not
      // read again before this opening (a draw run early by another process's clock is read
      // at the first settle past the opening).
      if (pending.get(record.room) === opensAt) return null;
      const draw = await store.getDraw(record.room);
      const entry = await remember(record.room, draw);
      if (entry === null && draw !== null && draw.drawnAt === null)
        pending.set(record.room, opensAt);
      return entry;
    }
    const looked = waiting.get(record.room);
    if (looked && at - looked.readAt < BEACON_RECHECK_MS) return null;
    const draw = await store.runDraw(record.room, at);
    if (draw === null) none.set(record.room, opensAt);
    const entry = await remember(record.room, draw);
    if (entry === null && draw !== null) {
      waiting.set(record.room, { draw, readAt: at });
      fetchInBackground(record.room, draw, at);
    }
    return entry;
  };

  return {
    async isPreOpen(record, at) {
      const opensAt = record.config.opensAt;
      if (opensAt === null || at >= opensAt) return false;
      if (drawn.has(record.room)) return false;
      if (pending.get(record.room) === opensAt) return true;
      let draw = await store.getDraw(record.room);
      if (draw === null) draw = await commit(record, at, opensAt);
      const open = (await remember(record.room, draw)) === null;
      if (open) pending.set(record.room, opensAt);
      return open;
    },

    async register(room, sub, at) {
      const registered = await store.registerPreOpen(room, sub, at);
      // Refused: the draw ran (in another process, perhaps); the next join reads it again.
      if (!registered) pending.delete(room);
      else hold(room, sub);
      return registered;
    },

    async keepRegistered(room, sub, at) {
      if (entrants.get(room)?.has(sub)) return true;
      if (await store.registerPreOpen(room, sub, at)) {
        hold(room, sub);
        return true;
      }
      // The draw froze (it may wait for its beacon): in it only if registered before.
      pending.delete(room);
      return isEntrant(room, sub);
    },

    async settle(record, at) {
      return (await settle(record, at))?.draw ?? null;
    },

    async drawnSeq(record, sub, at) {
      const entry = await settle(record, at);
      if (entry === null) return 'not_drawn';
      return entry.seqs.get(sub) ?? null;
    },

    async commitIfScheduled(record, at) {
      const opensAt = record.config.opensAt;
      if (opensAt === null || opensAt <= at) return;
      if ((await store.getDraw(record.room)) === null) await commit(record, at, opensAt);
    },

    isEntrant,

    heldBelow(room) {
      return waiting.get(room)?.draw.base ?? null;
    },

    async learn(room, draw) {
      await remember(room, draw);
    },

    checkCohort(record, cohort, at) {
      const cohorts = record.config.cohorts ?? [];
      if (cohorts.length === 0) {
        // Refused rather than ignored: a page that sends a cohort expects a room that has them,
        // and its visitors would otherwise wait in a line that never checks their group.
        if (cohort !== undefined) {
          throw new ApiError(400, 'invalid_body', 'This room has no cohorts; send no "cohort".');
        }
        return undefined;
      }
      const window = cohorts.find((candidate) => candidate.id === cohort);
      if (cohort === undefined || window === undefined) {
        throw new ApiError(
          400,
          'invalid_body',
          `This room admits by cohort: send "cohort", one of ${cohorts.map((c) => c.id).join(', ')}.`,
        );
      }
      refuseClosedCohort(window, at);
      return cohort;
    },
  };
}

/** Throws 403 `cohort_not_open` unless `at` is inside the cohort's window. */
export function refuseClosedCohort(window: CohortWindow, at: number): void {
  if (at < window.opensAt) {
    throw new ApiError(
      403,
      'cohort_not_open',
      `Your group's turn starts at ${new Date(window.opensAt).toISOString()}.`,
      {},
      { opensAt: window.opensAt },
    );
  }
  if (window.closesAt !== null && at >= window.closesAt) {
    throw new ApiError(403, 'cohort_not_open', "Your group's window has closed.");
  }
}
