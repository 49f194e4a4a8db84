/**
 * The engine that keeps a visitor's place: it runs the pure machine (`queue-machine.ts`) and
 * carries out its effects through injected parts (transport, ticket store, clock, randomness,
 * tab coordinator, lifecycle signals), and turns its state into immutable snapshots for a UI.
 */
import { createBookedStore } from './booked-store.js';
import type { BookedStore } from './booked-store.js';
import { systemClock } from './clock.js';
import type { Clock, TimerHandle } from './clock.js';
import { discardsTicket } from './errors.js';
import type { TransportResult } from './errors.js';
import { createHttpTransport } from './http-transport.js';
import type { HttpTransport, HttpTransportOptions } from './http-transport.js';
import { createDomLifecycle } from './lifecycle.js';
import type { LifecycleSource } from './lifecycle.js';
import { estimateWait, positionAt } from './position-estimate.js';
import { initialMachineState, transition } from './queue-machine.js';
import type { MachineEffect, MachineEvent, MachineState, TimerKind } from './queue-machine.js';
import { createTabCoordinator } from './tab-coordinator.js';
import type { TabCommand, TabCoordinator } from './tab-coordinator.js';
import { createTicketStore } from './ticket-store.js';
import type { StorageLike, TicketRecord, TicketStore } from './ticket-store.js';
import { fallbackTicket, reconcileStoredTicket } from './trusted-ticket.js';
import type { BookingOutcome, QueueEngine, QueueSnapshot } from './types.js';

/** Options of {@link createQueueEngine}. Only `endpoint` and `room` are required. */
export interface QueueEngineOptions {
  /** Base URL of the queue server (a base path is kept). */
  endpoint: string;
  room: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Where the ticket is kept; defaults to `localStorage` (memory where blocked). */
  storage?: StorageLike | null;
  /**
   * Where this tab keeps its own copy of what the server gave it (see `trusted-ticket.ts`);
   * defaults to `sessionStorage` (memory where blocked). `null`: memory only.
   */
  witnessStorage?: StorageLike | null;
  clock?: Clock;
  /** Uniform [0, 1) source for jitter; defaults to `Math.random`. */
  random?: () => number;
  /**
   * Tab coordination; defaults to {@link createTabCoordinator} for this room. `null`: this
   * engine always leads (one tab, or tests that do not care).
   */
  coordinator?: TabCoordinator | null;
  /** Abort a request after this long (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** "Look now" signals; defaults to `online` and the page becoming visible. */
  lifecycle?: LifecycleSource;
  /** How often the shown position is moved between polls (default 1000 ms). */
  renderIntervalMs?: number;
  /** Replaces the HTTP transport entirely (e.g. another wire format); `fetch` is then unused. */
  transport?: HttpTransport;
  /** The visitor's cohort, for a room split into cohorts (sent with a first join). */
  cohort?: string;
  /**
   * How a room's proof-of-work join challenge is solved (see `join-proof.ts`); `false` never
   * solves one. The state stays `joining` while the proof is searched for.
   */
  joinProof?: HttpTransportOptions['joinProof'];
}

type EngineEvent = DistributiveOmit<MachineEvent, 'at' | 'random'>;

/** The machine event a (follower's) command stands for. */
const COMMAND_EVENTS: Record<TabCommand, EngineEvent> = {
  'retry-now': { type: 'retry-now' },
  rejoin: { type: 'rejoin' },
  reclaim: { type: 'reclaim' },
  resume: { type: 'resume' },
  complete: { type: 'complete', outcome: 'booked' },
  'complete-used': { type: 'complete', outcome: 'already-used' },
};

/**
 * Creates the engine for one room. Nothing happens until `start()`.
 *
 * @example
 * ```ts
 * const engine = createQueueEngine({ endpoint: 'https://queue.example.com', room: 'concert' });
 * engine.subscribe((snapshot) => {
 *   if (snapshot.status === 'admitted') form.elements.queue_admission.value = snapshot.admission;
 * });
 * engine.start();
 * ```
 */
export function createQueueEngine(options: QueueEngineOptions): QueueEngine {
  const { endpoint, room } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const renderIntervalMs = options.renderIntervalMs ?? 1000;
  const store: TicketStore = createTicketStore({ endpoint, room, storage: options.storage, clock });
  const witness: TicketStore = createTicketStore({
    endpoint,
    room,
    storage: options.witnessStorage === undefined ? sessionStorageOrNull() : options.witnessStorage,
    clock,
  });
  const booked: BookedStore = createBookedStore({
    endpoint,
    room,
    storage: options.storage,
    clock,
  });
  // The ticket of the last join answer: only what the server handed out becomes the witness.
  let serverTicket: string | null = null;
  const loadStored = () => reconcileStoredTicket(store.load(), witness.load());
  const transport =
    options.transport ??
    createHttpTransport({
      endpoint,
      room,
      fetch: options.fetch,
      clock,
      requestTimeoutMs: options.requestTimeoutMs,
      ...(options.cohort !== undefined ? { cohort: options.cohort } : {}),
      ...(options.joinProof !== undefined ? { joinProof: options.joinProof } : {}),
    });
  const coordinator =
    options.coordinator === undefined
      ? createTabCoordinator({ room, endpoint, storage: options.storage, clock })
      : options.coordinator;
  const lifecycle = options.lifecycle ?? createDomLifecycle();

  let machine: MachineState = initialMachineState;
  let started = false;
  let leader = false;
  let mirrored: QueueSnapshot | null = null;
  let followerSeq: number | null = null;
  let request: AbortController | null = null;
  let renderTimer: TimerHandle | null = null;
  let unsubscribeLifecycle: (() => void) | null = null;
  const timers = new Map<TimerKind, TimerHandle>();
  const listeners = new Set<(snapshot: QueueSnapshot) => void>();

  const build = (): QueueSnapshot => {
    if (!leader && mirrored) return { ...mirrored, room, endpoint, isLeader: false };
    if (!leader && started) {
      // Until the leader's first snapshot arrives, show what the shared storage knows.
      return { ...fromMachine(), status: 'joining', seq: followerSeq, isLeader: false };
    }
    return fromMachine();
  };

  // The lowest position shown for the current seq. The estimate runs on the wall clock, and a
  // clock set back (by hand, by NTP) would otherwise replay the run-ahead and show the visitor
  // moving back in line.
  let shown: { seq: number; position: number } | null = null;

  const fromMachine = (): QueueSnapshot => {
    const now = clock.now();
    const m = machine;
    let position: number | null = null;
    if (m.status === 'admitting' || m.status === 'admitted') position = 0;
    else if (m.status === 'booked') position = null;
    else if (m.track) position = positionAt(m.track, now);
    else if (m.seq !== null && m.serving !== null) position = Math.max(0, m.seq - m.serving);
    if (position !== null && m.seq !== null && position > 0) {
      if (shown?.seq === m.seq) position = Math.min(position, shown.position);
      shown = { seq: m.seq, position };
    }
    return {
      status: m.status,
      room,
      endpoint,
      seq: m.seq,
      serving: m.serving,
      issued: m.issued,
      position,
      ratePerSec: m.ratePerSec,
      estimate: estimateWait(position, m.ratePerSec),
      roomStatus: m.roomStatus,
      ticketExpiresAt: m.ticketExpiresAt,
      holdSeconds: m.holdSeconds,
      admission: m.admission,
      admissionExpiresAt: m.admissionExpiresAt,
      lastUpdatedAt: m.lastUpdatedAt,
      nextAttemptAt: m.nextAttemptAt,
      problem: m.problem,
      rejection: m.rejection,
      isLeader: leader,
      opensAt: m.opensAt,
      cohortOpensAt: m.cohortOpensAt,
      booking: m.booking,
    };
  };

  let snapshot = build();

  const emit = () => {
    const next = build();
    if (JSON.stringify(next) === JSON.stringify(snapshot)) return;
    snapshot = next;
    if (leader) coordinator?.publish(snapshot);
    for (const listener of [...listeners]) listener(snapshot);
  };

  const stopRender = () => {
    if (renderTimer !== null) clock.clearTimeout(renderTimer);
    renderTimer = null;
  };
  // The position moves between polls; re-render on a timer only while it actually can.
  const syncRender = () => {
    const moving = leader && machine.status === 'waiting' && machine.ratePerSec > 0;
    if (!moving) return stopRender();
    if (renderTimer !== null) return;
    const tick = () => {
      renderTimer = null;
      emit();
      syncRender();
    };
    renderTimer = clock.setTimeout(tick, renderIntervalMs);
  };

  const dispatch = (event: EngineEvent) => {
    const result = transition(machine, {
      ...event,
      at: clock.now(),
      random: random(),
    } as MachineEvent);
    machine = result.state;
    for (const effect of result.effects) run(effect);
    syncRender();
    emit();
  };

  const clearTimer = (kind: TimerKind) => {
    const handle = timers.get(kind);
    if (handle !== undefined) clock.clearTimeout(handle);
    timers.delete(kind);
  };

  const perform = <T>(
    kind: 'join' | 'state' | 'admit',
    call: (signal: AbortSignal) => Promise<TransportResult<T>>,
    onValue: (value: T) => EngineEvent,
    ticket: string | null = null,
  ) => {
    const controller = new AbortController();
    request = controller;
    void call(controller.signal).then((result) => {
      // A request overtaken by stop(), rejoin() or reclaim() must not touch the new state.
      if (controller.signal.aborted || request !== controller) return;
      request = null;
      const fallback =
        !result.ok && ticket !== null && discardsTicket(result.failure)
          ? fallbackTicket(ticket, witness.load())
          : null;
      if (fallback) return dispatch({ type: 'restore', stored: fallback });
      dispatch(
        result.ok
          ? onValue(result.value)
          : { type: 'request-failed', request: kind, failure: result.failure },
      );
    });
  };

  function run(effect: MachineEffect) {
    switch (effect.type) {
      case 'join':
        perform(
          'join',
          (signal) => transport.join(effect.ticket, { signal }),
          (response) => {
            serverTicket = response.ticket;
            return { type: 'joined', response };
          },
          effect.ticket,
        );
        break;
      case 'poll-state':
        perform(
          'state',
          (signal) => transport.state({ signal }),
          (response) => ({
            type: 'state-received',
            response,
          }),
        );
        break;
      case 'admit':
        perform(
          'admit',
          (signal) => transport.admit(effect.ticket, { signal }),
          (response) => ({
            type: 'admission-received',
            response,
          }),
          effect.ticket,
        );
        break;
      case 'schedule':
        // `poll` and `retry` both lead to the next request: there is only ever one of them.
        if (effect.kind !== 'admission-expiry') {
          clearTimer('poll');
          clearTimer('retry');
        } else {
          clearTimer(effect.kind);
        }
        timers.set(
          effect.kind,
          clock.setTimeout(() => {
            timers.delete(effect.kind);
            dispatch({ type: 'timer', kind: effect.kind });
          }, effect.delayMs),
        );
        break;
      case 'cancel':
        effect.kinds.forEach(clearTimer);
        break;
      case 'abort':
        request?.abort();
        request = null;
        break;
      case 'persist':
        if (
          machine.ticket &&
          (machine.seq !== null || machine.opensAt !== null) &&
          machine.ticketExpiresAt !== null
        ) {
          const record: TicketRecord = {
            ticket: machine.ticket,
            // 0 marks a pre-open ticket: a reload keeps it, and its join answer tells the place.
            seq: machine.seq ?? 0,
            ticketExpiresAt: machine.ticketExpiresAt,
            ...(machine.admission && machine.admissionExpiresAt !== null
              ? { admission: machine.admission, admissionExpiresAt: machine.admissionExpiresAt }
              : {}),
          };
          store.save(record);
          if (machine.ticket === serverTicket) witness.save(record);
        }
        break;
      case 'discard-ticket':
        // Also a finished journey's marker: a visitor who asked to join again gets a new place.
        store.clear();
        witness.clear();
        booked.clear();
        serverTicket = null;
        break;
      case 'mark-booked':
        store.clear();
        witness.clear();
        serverTicket = null;
        booked.save(effect.record);
        break;
    }
  }

  const becomeLeader = () => {
    leader = true;
    mirrored = null;
    dispatch({ type: 'start', stored: loadStored(), booked: booked.load() });
  };
  const becomeFollower = () => {
    const wasLeader = leader;
    leader = false;
    if (wasLeader) dispatch({ type: 'stop' });
    followerSeq = loadStored()?.seq ?? null;
    syncRender();
    emit();
  };

  const act = (command: TabCommand) => {
    if (!started) return;
    if (leader) dispatch(COMMAND_EVENTS[command]);
    else coordinator?.send(command);
  };

  return {
    start() {
      if (started) return;
      started = true;
      unsubscribeLifecycle = lifecycle.subscribe(() => act('resume'));
      if (!coordinator) {
        becomeLeader();
        return;
      }
      becomeFollower();
      coordinator.start({
        onLeadershipChange: (isLeader) => (isLeader ? becomeLeader() : becomeFollower()),
        onSnapshot: (received) => {
          if (leader) return;
          mirrored = received;
          emit();
        },
        onCommand: (command) => {
          if (leader) dispatch(COMMAND_EVENTS[command]);
        },
      });
    },
    stop() {
      if (!started) return;
      started = false;
      unsubscribeLifecycle?.();
      unsubscribeLifecycle = null;
      coordinator?.stop();
      dispatch({ type: 'stop' });
      request?.abort();
      request = null;
      [...timers.keys()].forEach(clearTimer);
      stopRender();
      leader = false;
      mirrored = null;
      emit();
    },
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retryNow: () => act('retry-now'),
    rejoin: () => act('rejoin'),
    reclaim: () => act('reclaim'),
    // A follower's page asks the leader, which remembers the end for every tab.
    complete: (outcome: BookingOutcome = 'booked') =>
      act(outcome === 'booked' ? 'complete' : 'complete-used'),
  };
}

function sessionStorageOrNull(): StorageLike | null {
  try {
    // Reading the property itself throws a SecurityError where storage is blocked.
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
