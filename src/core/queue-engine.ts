/**
 * The engine that keeps a visitor's place: it runs the pure machine (`queue-machine.ts`) and
 * carries out its effects through injected parts (transport, ticket store, clock, randomness,
 * tab coordinator, lifecycle signals; see `engine-parts.ts`), and turns its state into
 * immutable snapshots for a UI (`queue-snapshot.ts`). The effects themselves are carried out by
 * `engine-effects.ts`.
 */
import type { TimerHandle } from './clock.js';
import { createEffectRunner } from './engine-effects.js';
import type { EngineEvent } from './engine-effects.js';
import { createEngineParts } from './engine-parts.js';
import type { QueueEngineOptions } from './engine-parts.js';
import { initialMachineState, transition } from './queue-machine.js';
import type { MachineEvent, MachineState } from './queue-machine.js';
import { shownPosition, snapshotOf, ticketRecordOf } from './queue-snapshot.js';
import type { TabCommand } from './tab-coordinator.js';
import { reconcileStoredTicket } from './trusted-ticket.js';
import type { BookingOutcome, QueueEngine, QueueSnapshot, QueueStatus } from './types.js';

export type { QueueEngineOptions } from './engine-parts.js';

/** The machine event a (follower's) command stands for. */
const COMMAND_EVENTS: Record<TabCommand, EngineEvent> = {
  'retry-now': { type: 'retry-now' },
  rejoin: { type: 'rejoin' },
  reclaim: { type: 'reclaim' },
  recheck: { type: 'recheck' },
  resume: { type: 'resume' },
  complete: { type: 'complete', outcome: 'booked' },
  'complete-used': { type: 'complete', outcome: 'already-used' },
  'identity-changed': { type: 'identity-changed' },
};

/**
 * The statuses in which the leader holds a place the server gave it. While joining the ticket
 * may be one the visitor just gave up, and the final or refused statuses hold none to keep.
 */
const HOLDING_A_PLACE: ReadonlySet<QueueStatus> = new Set<QueueStatus>([
  'waiting',
  'reconnecting',
  'paused',
  'closed',
  'admitting',
  'admitted',
  'sign-in-required',
]);

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
  const { room } = options;
  // One server, one place: `https://q.example/` is the server `https://q.example` is (the
  // transport strips the slash too), so its ticket is kept and shared under the same name. A
  // site that adds or drops the slash mid-event would otherwise send every reload to the back.
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const parts = createEngineParts({ ...options, endpoint });
  const { clock, random, renderIntervalMs, store, witness, booked, coordinator, lifecycle } = parts;
  const loadStored = () => reconcileStoredTicket(store.load(), witness.load());

  let machine: MachineState = initialMachineState;
  let started = false;
  let leader = false;
  let mirrored: QueueSnapshot | null = null;
  let followerSeq: number | null = null;
  let renderTimer: TimerHandle | null = null;
  let unsubscribeLifecycle: (() => void) | null = null;
  let unsubscribePause: (() => void) | undefined;
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
    // A store that had to fall back to memory cannot keep the place across a reload.
    const persistence = store.usingFallback ? 'memory' : 'storage';
    return snapshotOf(m, { room, endpoint, isLeader: leader, position, persistence });
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
    for (const effect of result.effects) effects.run(effect);
    restoreClearedTicket();
    syncRender();
    emit();
  };

  const effects = createEffectRunner({ parts, machine: () => machine, dispatch });

  // The site's data cleared under a running page (a logout script's `localStorage.clear()`,
  // "clear site data", another tab) leaves this tab holding the place and saying a reload is
  // safe: the ticket goes back into storage (at the next event, at once when another tab
  // cleared it, and when this page goes away), or the reload (or the next leader) takes a new
  // place at the back of the line.
  const restoreClearedTicket = () => {
    if (!leader || !HOLDING_A_PLACE.has(machine.status)) return;
    const record = ticketRecordOf(machine);
    if (record && store.load() === null) store.save(record);
  };
  const onStorage = (event: { key: string | null }) => {
    if (event.key === null || event.key === store.key) restoreClearedTicket();
  };
  const storageEvents = typeof window === 'undefined' ? null : window;

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

  const followTabs = () =>
    coordinator?.start({
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

  // A page in the back/forward cache cannot run, yet it would keep its Web Lock (or its queued
  // request for it): the room's other tabs would wait for a leader that never answers, and the
  // turn could pass unclaimed. It lets go meanwhile, showing what it last knew, and takes part
  // again, as any new tab does, when it is shown again.
  const pause = () => {
    mirrored = snapshot;
    coordinator?.stop();
    becomeFollower();
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
      storageEvents?.addEventListener('storage', onStorage);
      storageEvents?.addEventListener('pagehide', restoreClearedTicket);
      if (!coordinator) {
        becomeLeader();
        return;
      }
      unsubscribePause = lifecycle.subscribePause?.(pause, followTabs);
      becomeFollower();
      followTabs();
    },
    stop() {
      if (!started) return;
      started = false;
      unsubscribeLifecycle?.();
      unsubscribeLifecycle = null;
      unsubscribePause?.();
      storageEvents?.removeEventListener('storage', onStorage);
      storageEvents?.removeEventListener('pagehide', restoreClearedTicket);
      coordinator?.stop();
      dispatch({ type: 'stop' });
      effects.cancelAll();
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
    recheckAdmission: () => act('recheck'),
    // A follower's page asks the leader, which remembers the end for every tab.
    complete: (outcome: BookingOutcome = 'booked') =>
      act(outcome === 'booked' ? 'complete' : 'complete-used'),
    identityChanged: () => act('identity-changed'),
  };
}
