/**
 * Owns the queue engine for a `<queue-gate>`: creates it for the current room and endpoint,
 * starts it while the element is connected, and asks the element to render on every snapshot.
 * It also keeps the two pieces of time the view needs but the core does not track: a clock tick
 * for "updated N s ago", and whether an admission ran out before the form was sent.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IdentityProvider } from '../core/identity-assertion.js';
import type { BookingOutcome, QueueEngine, QueueSnapshot } from '../core/types.js';
import type { EngineFactory } from './default-engine.js';
import { PlaceProgress } from './place-progress.js';

/** Called on every snapshot with the one before it (null for the engine's first). */
export type SnapshotListener = (next: QueueSnapshot, previous: QueueSnapshot | null) => void;

/** Options of `QueueController`. */
export interface QueueControllerOptions {
  onSnapshot: SnapshotListener;
  /** Called once when an unsent admission expires. */
  onAdmissionExpired: () => void;
  /** Current time in epoch ms; injectable for deterministic tests. */
  now: () => number;
  /** The visitor's identity, handed to every engine (see `identity-source.ts`). */
  identity?: IdentityProvider;
}

const TICK_MS = 1000;
/** Statuses whose screen shows times that age ("updated 5 s ago", "trying again in 3 s"). */
const AGING = new Set(['waiting', 'reconnecting', 'paused', 'closed', 'admitted']);

/** A Lit reactive controller that connects an element to a `QueueEngine`. */
export class QueueController implements ReactiveController {
  /** The latest snapshot, or null before an engine exists. */
  snapshot: QueueSnapshot | null = null;
  /** The progress bar's start and the draw mark of the current place, kept across reloads. */
  readonly progress = new PlaceProgress();
  /** Whether the visitor sent a slotted form with the current admission. */
  admissionUsed = false;
  /**
   * Whether this page sent a booking with the latest admission (its form, or `gate.fetch`);
   * unlike {@link admissionUsed} it outlives the admission, so that a journey ended as `booked`
   * tells whether the booking was made here or in another tab.
   */
  bookingSentHere = false;

  private engine: QueueEngine | null = null;
  private unsubscribe: (() => void) | null = null;
  private key = '';
  private config: {
    room: string;
    endpoint: string;
    factory: EngineFactory;
    cohort: string;
  } | null = null;
  private connected = false;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private expiredReported = false;
  /** Bookings sent with the admission and not answered yet (see {@link holdAdmission}). */
  private bookingsInFlight = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: QueueControllerOptions,
  ) {
    host.addController(this);
  }

  /** Sets the room, endpoint, factory and cohort; replaces the engine when any of them changed. */
  configure(room: string, endpoint: string, factory: EngineFactory, cohort = ''): void {
    const key = `${endpoint}\u0000${room}\u0000${cohort}`;
    if (this.config && key === this.key && factory === this.config.factory) return;
    this.config = room ? { room, endpoint, factory, cohort } : null;
    this.key = key;
    this.teardown();
    this.snapshot = null;
    this.progress.reset();
    if (this.connected) this.setup();
  }

  /**
   * Whether the current admission expired before the form was sent: by this page's clock, or
   * because the engine dropped it. The engine times the expiry with a timer, which a wall clock
   * set back does not delay; the wall-clock check alone would then keep a dead admission's
   * form open for as long as the clock was set back.
   */
  get admissionExpired(): boolean {
    const s = this.snapshot;
    return (
      s?.status === 'admitted' &&
      !this.admissionUsed &&
      this.bookingsInFlight === 0 &&
      (s.admission === null ||
        (s.admissionExpiresAt !== null && s.admissionExpiresAt <= this.options.now()))
    );
  }

  hostConnected(): void {
    this.connected = true;
    this.setup();
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  hostDisconnected(): void {
    this.connected = false;
    // A move in the DOM (a re-parenting framework, a script) disconnects and reconnects at once:
    // the engine stays, so the visitor's screen does not start over ("Getting your place…",
    // the form hidden and handed over again).
    queueMicrotask(() => this.connected || this.teardown());
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Re-renders aging times and notices an admission running out. */
  tick(): void {
    const status = this.snapshot?.status;
    if (!status || !AGING.has(status)) return;
    this.checkExpiry();
    this.host.requestUpdate();
  }

  retryNow(): void {
    this.engine?.retryNow();
  }

  rejoin(): void {
    this.progress.reset();
    this.engine?.rejoin();
  }

  reclaim(): void {
    this.expiredReported = false;
    this.engine?.reclaim();
  }

  /** The visitor signed in or out (see `QueueEngine.identityChanged`). */
  identityChanged(): void {
    this.engine?.identityChanged();
  }

  /** Asks whether the admission was used to book (see `QueueEngine.recheckAdmission`). */
  recheckAdmission(): void {
    this.engine?.recheckAdmission?.();
  }

  /** Ends the journey (see `QueueEngine.complete`). */
  complete(outcome: BookingOutcome): void {
    this.engine?.complete(outcome);
  }

  /**
   * Marks a booking with the admission as sent: until its answer, the admission is not reported
   * as expired (the backend may well accept a request that left in time). Call the returned
   * function once the answer is in.
   */
  holdAdmission(): () => void {
    this.bookingsInFlight += 1;
    this.bookingSentHere = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.bookingsInFlight -= 1;
      this.checkExpiry();
      this.host.requestUpdate();
    };
  }

  private setup(): void {
    if (!this.config || this.engine) return;
    const { room, endpoint, cohort } = this.config;
    const { identity } = this.options;
    const engine = this.config.factory({
      room,
      endpoint,
      ...(cohort ? { cohort } : {}),
      ...(identity ? { identity } : {}),
    });
    this.engine = engine;
    this.unsubscribe = engine.subscribe((snapshot) => this.receive(snapshot));
    engine.start();
    // An engine restored from storage may already know everything before its first event.
    if (this.engine === engine) this.receive(engine.getSnapshot());
  }

  private teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.engine?.stop();
    this.engine = null;
  }

  private receive(snapshot: QueueSnapshot): void {
    const previous = this.snapshot;
    if (snapshot === previous) return;
    this.progress.observe(snapshot);
    if (previous?.admission !== snapshot.admission) {
      this.admissionUsed = false;
      // The engine dropping an admission this page already saw run out is the same expiry,
      // not a new one: only a new admission can expire anew.
      if (snapshot.admission !== null) {
        this.expiredReported = false;
        this.bookingSentHere = false;
      }
    }
    this.snapshot = snapshot;
    this.options.onSnapshot(snapshot, previous);
    this.checkExpiry();
    this.host.requestUpdate();
  }

  private checkExpiry(): void {
    if (!this.admissionExpired || this.expiredReported) return;
    this.expiredReported = true;
    this.options.onAdmissionExpired();
  }
}
