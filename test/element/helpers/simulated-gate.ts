/**
 * A real `<queue-gate>` over the real engine and the mock simulator, on a manual clock: the
 * setup every element test that needs "the whole client" shares.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../../src/index.js';
import { createQueueEngine } from '../../../src/core/index.js';
import { answerTracker, settlingClock } from '../../core/helpers/settling-clock.js';
import type { ManualClock, StorageLike } from '../../../src/core/index.js';
import { createQueueSimulator, type QueueSimulator } from '../../../src/mocks/index.js';
import type { EngineFactory, QueueGateElement } from '../../../src/index.js';
import { memoryStorage } from '../../core/helpers/test-doubles.js';

/** The simulated moment every such test starts at. */
export const START = Date.UTC(2026, 10, 23, 12, 0, 0);

/** The parts of one simulated visitor's world. */
export interface SimulatedWorld {
  clock: ManualClock;
  sim: QueueSimulator;
  /** The page's localStorage: a reload is a new element over the same storage. */
  storage: StorageLike;
  factory: EngineFactory;
}

/**
 * A line with ten people already in it (the visitor gets seq 11), served by the simulator.
 * Every engine the factory makes shares the storage, like reloads of one page; randomness is
 * the middle of every jitter window, so retries come at predictable moments.
 */
export function simulatedWorld(): SimulatedWorld {
  // The clock waits for the engine to read each answer (signed in real time) before moving on.
  const answers = answerTracker();
  const clock = settlingClock(answers.idle, START);
  const sim = createQueueSimulator({ now: clock.now, issued: 10, serving: 0 });
  const storage = memoryStorage();
  const witnessStorage = memoryStorage();
  const factory: EngineFactory = ({ room, endpoint }) =>
    createQueueEngine({
      room,
      endpoint,
      fetch: answers.track(sim.fetch),
      clock,
      storage,
      witnessStorage,
      coordinator: null,
      random: () => 0.5,
    });
  return { clock, sim, storage, factory };
}

/** Mounts `<queue-gate>` (room `demo`, English unless told), wrapping `form` (one field by default). */
export function mountSimulatedGate(
  world: SimulatedWorld,
  form: TemplateResult = html`<form><input name="name" /></form>`,
  { room = 'demo', lang = 'en' } = {},
): Promise<QueueGateElement> {
  return fixture<QueueGateElement>(html`
    <queue-gate
      room=${room}
      endpoint="https://queue.test"
      lang=${lang}
      .engineFactory=${world.factory}
      .now=${world.clock.now}
    >
      ${form}
    </queue-gate>
  `);
}

/**
 * Moves the manual clock `stepMs` at a time, at most `steps` times, until `done`.
 * @returns whether `done` came true (the caller asserts, with its own message)
 */
export async function advanceUntil(
  world: SimulatedWorld,
  el: QueueGateElement,
  done: () => boolean,
  { steps = 600, stepMs = 1000 } = {},
): Promise<boolean> {
  for (let i = 0; i < steps && !done(); i++) {
    await world.clock.advance(stepMs);
    await el.updateComplete;
  }
  return done();
}

/** A simulated world with its mounted `<queue-gate>`. */
export interface MountedWorld extends SimulatedWorld {
  el: QueueGateElement;
}

/** A visitor who reached `waiting` (seq 11) in a real `<queue-gate>` over a fresh world. */
export async function mountWaitingGate(): Promise<MountedWorld> {
  const world = simulatedWorld();
  const el = await mountSimulatedGate(world);
  const waiting = await advanceUntil(world, el, () => el.status === 'waiting', {
    steps: 50,
    stepMs: 100,
  });
  expect(waiting, `still ${el.status}`).to.equal(true);
  return { ...world, el };
}
