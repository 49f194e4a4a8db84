/**
 * The simulator's injected failures between the client and the server: a queue of faults for
 * the next requests, a share of failing requests, latency and being offline.
 */
import { DEFAULT_FAILURE, type Fault } from './simulated-fault.js';

/** The fault controls of one simulator. */
export interface FaultInjection {
  /** The next `count` requests fail with `fault`. */
  failNext(count: number, fault: Fault): void;
  /** A share (0..1) of requests fail with `fault`, decided by `random`. */
  setFailureRate(share: number, fault?: Fault): void;
  setLatency(ms: number): void;
  setOffline(offline: boolean): void;
  readonly latencyMs: number;
  readonly offline: boolean;
  /** The fault for the request now arriving, if any. */
  next(random: () => number): Fault | null;
  /** No faults, no latency, online. */
  clear(): void;
}

/** @returns fault controls with nothing injected */
export function createFaultInjection(): FaultInjection {
  let queue: Fault[] = [];
  let share = 0;
  let shareFault: Fault = DEFAULT_FAILURE;
  let latencyMs = 0;
  let offline = false;
  return {
    failNext(count, fault) {
      for (let i = 0; i < count; i++) queue.push(fault);
    },
    setFailureRate(next, fault = DEFAULT_FAILURE) {
      share = Math.min(1, Math.max(0, next));
      shareFault = fault;
    },
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    setOffline(next) {
      offline = next;
    },
    get latencyMs() {
      return latencyMs;
    },
    get offline() {
      return offline;
    },
    next(random) {
      const queued = queue.shift();
      if (queued) return queued;
      if (share > 0 && random() < share) return shareFault;
      return null;
    },
    clear() {
      queue = [];
      share = 0;
      shareFault = DEFAULT_FAILURE;
      latencyMs = 0;
      offline = false;
    },
  };
}
