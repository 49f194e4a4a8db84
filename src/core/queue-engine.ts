/**
 * The engine that keeps a visitor's place: it runs the pure machine (`queue-machine.ts`) and
 * carries out its effects through injected parts (transport, ticket store, clock, randomness,
 * tab coordinator, lifecycle signals; see `engine-parts.ts`), and turns its state into
 * immutable snapshots for a UI (`queue-snapshot.ts`).
 */
import type { TimerHandle } from './clock.js';
import { createEngineParts } from './engine-parts.js';
import type { QueueEngineOptions } from './engine-parts.js';
import { discardsTicket } from './errors.js';
import type { TransportResult } from './errors.js';
import { initialMachineState, transition } from './queue-machine.js';
import type { MachineEffect, MachineEvent, MachineState, TimerKind } from './queue-machine.js';
import { shownPosition, snapshotOf, ticketRecordOf } from './queue-snapshot.js';
import type { TabCommand } from './tab-coordinator.js';
import { fallbackTicket, reconcileStoredTicket } from './trusted-ticket.js';
import type { BookingOutcome, QueueEngine, QueueSnapshot } from './types.js';

export type { QueueEngineOptions } from './engine-parts.js';

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
  const parts = createEngineParts(options);
  const { clock, random, renderIntervalMs, store, witness, booked, transport } = parts;
  const { coordinator, lifecycle } = parts;
  // The ticket of the last join answer: only what the server handed out becomes the witness.
  let serverTicket: string | null = null;
  const loadStored = () => reconcileStoredTicket(store.load(), witness.load());

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
    const m = machine;
    let position = shownPosition(m, clock.now());
    if (position !== null && m.seq !== null && position > 0) {
      if (shown?.seq === m.seq) position = Math.min(position, shown.position);
      shown = { seq: m.seq, position };
    }
    return snapshotOf(m, { room, endpoint, isLeader: leader, position });
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
          (response) => ({ type: 'state-received', response }),
        );
        break;
      case 'admit':
        perform(
          'admit',
          (signal) => transport.admit(effect.ticket, { signal }),
          (response) => ({ type: 'admission-received', response }),
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
      case 'persist': {
        const record = ticketRecordOf(machine);
        if (record) {
          store.save(record);
          if (machine.ticket === serverTicket) witness.save(record);
        }
        break;
      }
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

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
