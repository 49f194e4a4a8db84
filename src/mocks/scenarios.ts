/**
 * Named situations that the demo's buttons and the tests share, so that what QA clicks is
 * exactly what the tests prove.
 *
 * Each scenario has room `options` plus runtime `setup` (faults, latency...). Use it two ways:
 * - `create(overrides?)`: a fresh simulator (tests; inject `now`, `random`, `sleep` here);
 * - `apply(simulator)`: turns an existing simulator into the scenario without forgetting the
 *   tickets it issued (the demo's picker: switching scenarios keeps the visitor's place).
 */
import {
  createQueueSimulator,
  type QueueSimulator,
  type QueueSimulatorOptions,
} from './queue-simulator.js';

/** One named situation. */
export interface Scenario {
  /** Short button label. */
  title: string;
  /** One sentence for QA: what the visitor should see. */
  description: string;
  /** Room settings of the scenario. */
  options: QueueSimulatorOptions;
  /** Runtime controls applied after the settings (faults, latency, offline...). */
  setup?: (simulator: QueueSimulator) => void;
  /** A fresh simulator in this scenario; `overrides` win over the scenario's options. */
  create(overrides?: QueueSimulatorOptions): QueueSimulator;
  /**
   * Clears the simulator's faults, then applies this scenario's settings and controls; the
   * returned promise settles once the server has the settings (requests made meanwhile wait).
   */
  apply(simulator: QueueSimulator): Promise<void>;
}

type ScenarioSpec = Pick<Scenario, 'title' | 'description' | 'options' | 'setup'>;

function scenario(spec: ScenarioSpec): Scenario {
  return {
    ...spec,
    create(overrides = {}) {
      const simulator = createQueueSimulator({ ...spec.options, ...overrides });
      spec.setup?.(simulator);
      return simulator;
    },
    apply(simulator) {
      simulator.clearFaults();
      const configured = simulator.configure(spec.options);
      spec.setup?.(simulator);
      return configured;
    },
  };
}

/** A line that moves at a steady, visible pace. */
const MOVING: QueueSimulatorOptions = {
  serving: 1200,
  issued: 1260,
  ratePerSec: 2,
  status: 'open',
};

/** A line whose front reaches a new visitor within seconds. */
const NEAR_FRONT: QueueSimulatorOptions = {
  serving: 95,
  issued: 100,
  ratePerSec: 5,
  status: 'open',
};

/**
 * The shared scenarios. Room `'demo'` unless overridden.
 *
 * @example
 * ```ts
 * const sim = SCENARIOS.overload.create({ now: () => clock.now });
 * const button = document.createElement('button');
 * button.textContent = SCENARIOS.overload.title;
 * button.onclick = () => SCENARIOS.overload.apply(demoSimulator);
 * ```
 */
export const SCENARIOS = {
  normal: scenario({
    title: 'Normal',
    // Two a second at first; once the people ahead (simulated, who never claim) let their
    // claim grace pass, their places are given back to the line and it moves about twice as fast.
    description: 'About sixty people ahead; the line moves a few places a second.',
    options: MOVING,
  }),
  surge: scenario({
    title: 'Surge',
    description: 'A million people ahead: a long wait, slow polling, an honest wide estimate.',
    options: { serving: 5000, issued: 1_005_000, ratePerSec: 80, status: 'open' },
  }),
  slow: scenario({
    title: 'Slow network',
    description: 'Every answer takes three seconds; the place is kept and the line still moves.',
    options: MOVING,
    setup: (simulator) => simulator.setLatency(3000),
  }),
  flaky: scenario({
    title: 'Flaky network',
    description:
      'A third of the requests fail with a 502; the visitor keeps the place and retries.',
    options: MOVING,
    setup: (simulator) => simulator.setFailureRate(1 / 3, { kind: 'status', status: 502 }),
  }),
  offline: scenario({
    title: 'Offline',
    description: 'No request gets through; the widget says so and keeps the ticket.',
    options: MOVING,
    setup: (simulator) => simulator.setOffline(true),
  }),
  overload: scenario({
    title: 'Overloaded',
    description: 'The server answers 503 with Retry-After: 10; the client waits as told.',
    options: MOVING,
    setup: (simulator) =>
      simulator.setFailureRate(1, {
        kind: 'status',
        status: 503,
        code: 'overloaded',
        retryAfterSeconds: 10,
      }),
  }),
  paused: scenario({
    title: 'Paused',
    description: 'The room is paused: the line does not move, the place is kept.',
    options: { ...MOVING, status: 'paused' },
  }),
  closed: scenario({
    title: 'Closed',
    description: 'The room is closed: nobody new gets in; ticket holders are told it closed.',
    options: { ...MOVING, status: 'closed' },
  }),
  'rejected-expired': scenario({
    title: 'Ticket expired',
    description:
      'At the turn (or on reload) the ticket is refused as expired; the visitor is told why, and rejoining works.',
    options: NEAR_FRONT,
    setup: (simulator) => simulator.rejectTickets('token_expired', { untilRejoin: true }),
  }),
  'rejected-tampered': scenario({
    title: 'Ticket tampered',
    description:
      'At the turn (or on reload) the ticket is refused as forged; the visitor is told why, and rejoining works.',
    options: NEAR_FRONT,
    setup: (simulator) => simulator.rejectTickets('token_bad_signature', { untilRejoin: true }),
  }),
  admitted: scenario({
    title: 'Admitted soon',
    description: 'A few places from the front at five a second: the turn comes within seconds.',
    options: NEAR_FRONT,
  }),
  'admission-expired': scenario({
    title: 'Admission expires',
    description:
      'The turn comes at once but admissions last 5 s: the screen says the admission expired and offers to claim it again.',
    options: { serving: 100, issued: 100, ratePerSec: 5, status: 'open', admissionTtlSeconds: 5 },
  }),
} satisfies Record<string, Scenario>;

/** The name of a shared scenario. */
export type ScenarioName = keyof typeof SCENARIOS;

/** Scenario names in display order (the demo's buttons). */
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
