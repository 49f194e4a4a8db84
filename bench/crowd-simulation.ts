/**
 * A waiting crowd on a simulated clock: every visitor runs the client's real scheduler
 * (`pollDelay` / `retryDelay` from the core, `pollIntervalFor` from the protocol) with a seeded
 * random source, and the simulation counts what reaches the origin each simulated second.
 *
 * Why discrete events and not real time: a million visitors polling for minutes is tens of
 * millions of requests; simulated, it takes seconds and gives the same figures on every run,
 * so they can be asserted in a test. Events are kept in 10 ms calendar slots; each event
 * still uses its exact time, the slot only orders the work.
 */
import { pollDelay, retryDelay } from '../src/core/poll-schedule.js';
import { pollIntervalFor } from '../src/protocol.js';
import { createSeededRandom } from './seeded-random.js';

/** How the simulated clients poll. */
export type PollPolicy =
  /** queue-gate's client: server-directed, scaled by distance, jittered; backoff on failure. */
  | { kind: 'queue-gate'; basePollMs: number }
  /** A naive client: the same interval for everyone, also after a failure. */
  | { kind: 'fixed'; intervalMs: number };

/** Options of {@link simulateCrowd}. */
export interface CrowdOptions {
  visitors: number;
  policy: PollPolicy;
  /** Places per second the line moves (also the `ratePerSec` clients are told); 0: it stands. */
  admitPerSec: number;
  /** Visitors join in seq order, spread evenly over this long from time 0. */
  arrivalMs: number;
  /** Simulated time. */
  durationMs: number;
  /**
   * A CDN in front: each visitor uses one of `edges` caches, which serve `state` for
   * `maxAgeMs` after fetching it from the origin. Joins and admissions always reach the origin.
   */
  cdn?: { edges: number; maxAgeMs: number };
  /** The origin refuses every request during `[atMs, atMs + forMs)` (a restart). */
  outage?: { atMs: number; forMs: number };
  /**
   * For comparison, the client before the poll floor: a failed `state` poll retried by backoff
   * alone. Off by default (the shipped client retries a failed poll no sooner than its own
   * next poll).
   */
  backoffOnlyRetry?: boolean;
  seed?: number;
}

/** Counts per simulated second (index = second). */
export interface CrowdRun {
  joins: Float64Array;
  states: Float64Array;
  admits: Float64Array;
  /** Requests that found the origin down (connections refused during an outage). */
  refused: Float64Array;
  /** State requests answered by a CDN edge without reaching the origin. */
  edgeHits: Float64Array;
  /** Visitors holding a place and not yet admitted, at the end of each second. */
  waiting: Float64Array;
  /** Events simulated in all. */
  events: number;
}

const JOIN = 0;
const STATE = 1;
const ADMIT = 2;
const DONE = 3;
const SLOT_MS = 10;

/**
 * Runs the simulation.
 *
 * @example
 * ```ts
 * const run = simulateCrowd({
 *   visitors: 1_000_000, policy: { kind: 'queue-gate', basePollMs: 2000 },
 *   admitPerSec: 0, arrivalMs: 60_000, durationMs: 240_000,
 * });
 * const { perSecond } = originRate(run, 120_000, 240_000);
 * ```
 */
export function simulateCrowd(options: CrowdOptions): CrowdRun {
  const { visitors, policy, admitPerSec, durationMs, cdn, outage } = options;
  if (cdn && outage) throw new Error('simulate an outage without a CDN: edges would hide it.');
  const random = createSeededRandom(options.seed ?? 1);
  const seconds = Math.ceil(durationMs / 1000);
  const run: CrowdRun = {
    joins: new Float64Array(seconds),
    states: new Float64Array(seconds),
    admits: new Float64Array(seconds),
    refused: new Float64Array(seconds),
    edgeHits: new Float64Array(seconds),
    waiting: new Float64Array(seconds),
    events: 0,
  };
  const nextAt = new Float64Array(visitors);
  const kind = new Uint8Array(visitors);
  const failures = new Uint8Array(visitors);
  const slots: Array<number[] | undefined> = new Array(Math.ceil(durationMs / SLOT_MS) + 1);
  const edgeFreshUntil = new Float64Array(cdn?.edges ?? 0).fill(-Infinity);
  const edgeServing = new Float64Array(cdn?.edges ?? 0);
  let holding = 0;

  const servingAt = (t: number) => Math.floor((admitPerSec * t) / 1000);
  const isDown = (t: number) =>
    outage !== undefined && t >= outage.atMs && t < outage.atMs + outage.forMs;
  const schedule = (v: number, at: number) => {
    if (at >= durationMs) return;
    nextAt[v] = at;
    (slots[Math.floor(at / SLOT_MS)] ??= []).push(v);
  };
  const fail = (v: number, t: number, second: number) => {
    run.refused[second]! += 1;
    // As the client's machine: one draw for the backoff and, for a failed poll, the poll
    // delay it is retried no sooner than.
    const draw = random();
    const pollFloorMs =
      policy.kind === 'queue-gate' && kind[v] === STATE && !options.backoffOnlyRetry
        ? pollDelay({
            pollAfterMs: policy.basePollMs,
            scaled: true,
            position: Math.max(0, v + 1 - servingAt(t)),
            ratePerSec: admitPerSec,
            roomStatus: 'open',
            random: draw,
          })
        : 0;
    const delay =
      policy.kind === 'fixed'
        ? policy.intervalMs
        : retryDelay({ attempt: failures[v]!, retryAfterMs: null, random: draw, pollFloorMs });
    failures[v] = Math.min(255, failures[v]! + 1);
    schedule(v, t + delay);
  };
  // After an answer that showed `serving`: claim at once when it is the visitor's turn (as the
  // client's machine does), otherwise poll again after the scheduler's delay.
  const proceed = (v: number, t: number, serving: number, fromJoin: boolean) => {
    failures[v] = 0;
    const position = v + 1 - serving;
    if (position <= 0) {
      kind[v] = ADMIT;
      schedule(v, t);
      return;
    }
    kind[v] = STATE;
    let delay: number;
    if (policy.kind === 'fixed') {
      delay = policy.intervalMs;
    } else if (fromJoin) {
      // A join answer carries the interval the server already scaled for this visitor.
      const own = pollIntervalFor(position, admitPerSec, policy.basePollMs);
      delay = pollDelay({
        pollAfterMs: own,
        scaled: false,
        position,
        ratePerSec: admitPerSec,
        roomStatus: 'open',
        random: random(),
      });
    } else {
      delay = pollDelay({
        pollAfterMs: policy.basePollMs,
        scaled: true,
        position,
        ratePerSec: admitPerSec,
        roomStatus: 'open',
        random: random(),
      });
    }
    schedule(v, t + delay);
  };

  for (let v = 0; v < visitors; v += 1) {
    kind[v] = JOIN;
    schedule(v, (options.arrivalMs * (v + random())) / visitors);
  }

  let recordedSeconds = 0;
  for (let slot = 0; slot < slots.length; slot += 1) {
    const second = Math.floor((slot * SLOT_MS) / 1000);
    while (recordedSeconds < Math.min(second, seconds)) run.waiting[recordedSeconds++] = holding;
    const due = slots[slot];
    if (!due) continue;
    // `due` may grow while it is walked: a claim or a zero retry delay lands in the same slot.
    for (let i = 0; i < due.length; i += 1) {
      const v = due[i]!;
      const t = nextAt[v]!;
      const s = Math.floor(t / 1000);
      run.events += 1;
      switch (kind[v]) {
        case JOIN:
          if (isDown(t)) {
            fail(v, t, s);
            break;
          }
          run.joins[s]! += 1;
          holding += 1;
          proceed(v, t, servingAt(t), true);
          break;
        case STATE: {
          let serving: number;
          if (cdn) {
            const edge = v % cdn.edges;
            if (t < edgeFreshUntil[edge]!) {
              run.edgeHits[s]! += 1;
            } else {
              run.states[s]! += 1;
              edgeFreshUntil[edge] = t + cdn.maxAgeMs;
              edgeServing[edge] = servingAt(t);
            }
            serving = edgeServing[edge]!;
          } else if (isDown(t)) {
            fail(v, t, s);
            break;
          } else {
            run.states[s]! += 1;
            serving = servingAt(t);
          }
          proceed(v, t, serving, false);
          break;
        }
        case ADMIT:
          if (isDown(t)) {
            fail(v, t, s);
            break;
          }
          run.admits[s]! += 1;
          holding -= 1;
          kind[v] = DONE;
          break;
        default:
          break;
      }
    }
    slots[slot] = undefined;
  }
  while (recordedSeconds < seconds) run.waiting[recordedSeconds++] = holding;
  return run;
}

/** Origin load over a window of whole seconds `[fromMs, toMs)`. */
export interface OriginLoad {
  /** Mean origin requests per second (joins, states and admissions that reached it). */
  perSecond: number;
  /** The busiest single second. */
  peakPerSecond: number;
  /** Mean number of visitors waiting. */
  waiting: number;
  /** `perSecond` scaled to a million visitors waiting. */
  perMillionWaiting: number;
  /** Of `perSecond`, the state polls. */
  statePerSecond: number;
}

/**
 * Summarises what reached the origin during `[fromMs, toMs)` of a run.
 *
 * @example
 * ```ts
 * const steady = originRate(run, 120_000, 240_000);
 * console.log(steady.perMillionWaiting);
 * ```
 */
export function originRate(run: CrowdRun, fromMs: number, toMs: number): OriginLoad {
  const from = Math.floor(fromMs / 1000);
  const to = Math.min(Math.floor(toMs / 1000), run.states.length);
  let total = 0;
  let states = 0;
  let peak = 0;
  let waiting = 0;
  for (let s = from; s < to; s += 1) {
    const origin = run.joins[s]! + run.states[s]! + run.admits[s]!;
    total += origin;
    states += run.states[s]!;
    peak = Math.max(peak, origin);
    waiting += run.waiting[s]!;
  }
  const span = Math.max(1, to - from);
  const perSecond = total / span;
  const meanWaiting = waiting / span;
  return {
    perSecond,
    peakPerSecond: peak,
    waiting: meanWaiting,
    perMillionWaiting: meanWaiting > 0 ? (perSecond / meanWaiting) * 1_000_000 : 0,
    statePerSecond: states / span,
  };
}
