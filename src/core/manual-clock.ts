/**
 * A clock that only moves when told to. Exported (not kept in the tests) because the element's
 * tests and users' own tests need the same determinism when they drive a queue engine.
 */
import type { Clock, TimerHandle } from './clock.js';

/** A {@link Clock} moved by hand. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing due timers in order. Between timers it lets pending
   * promises settle (one real macrotask), so async work started by a timer (a fetch, say)
   * can finish and schedule its follow-up before later timers are considered.
   */
  advance(ms: number): Promise<void>;
  /** Moves time to the next pending timer and fires it; resolves false when none is pending. */
  runNext(): Promise<boolean>;
  /** Delays (from now) of the timers still pending, soonest first. */
  pendingDelays(): number[];
}

interface PendingTimer {
  id: number;
  at: number;
  callback: () => void;
}

const settle = () => new Promise<void>((resolve) => globalThis.setTimeout(resolve, 0));

/**
 * Creates a manual clock starting at `start` (epoch ms).
 *
 * @example
 * ```ts
 * const clock = createManualClock();
 * const engine = createQueueEngine({ endpoint, room, clock });
 * await clock.advance(5000); // five seconds of polling, instantly
 * ```
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  let nextId = 1;
  let timers: PendingTimer[] = [];

  const takeDue = (until: number): PendingTimer | undefined => {
    let due: PendingTimer | undefined;
    for (const timer of timers) {
      if (
        timer.at <= until &&
        (!due || timer.at < due.at || (timer.at === due.at && timer.id < due.id))
      ) {
        due = timer;
      }
    }
    if (due) timers = timers.filter((timer) => timer !== due);
    return due;
  };

  const fire = async (timer: PendingTimer) => {
    current = Math.max(current, timer.at);
    timer.callback();
    await settle();
    await settle();
  };

  return {
    now: () => current,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.push({ id, at: current + Math.max(0, delayMs || 0), callback });
      return id;
    },
    clearTimeout(handle: TimerHandle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    async advance(ms) {
      const target = current + ms;
      await settle();
      for (let timer = takeDue(target); timer; timer = takeDue(target)) await fire(timer);
      current = target;
    },
    async runNext() {
      await settle();
      const timer = takeDue(Number.POSITIVE_INFINITY);
      if (!timer) return false;
      await fire(timer);
      return true;
    },
    pendingDelays: () => timers.map((timer) => timer.at - current).sort((a, b) => a - b),
  };
}
