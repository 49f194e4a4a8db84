/**
 * The only way the core reads time or waits. Everything time-dependent (polling, backoff,
 * request timeouts, lease heartbeats, the position estimate) goes through a `Clock`, so tests
 * drive the whole engine with a manual clock instead of sleeping or patching globals.
 */

/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Time and timers, injectable. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; unknown or already fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `Date.now` and the global timers.
 *
 * @example
 * ```ts
 * const handle = systemClock.setTimeout(() => console.log('tick'), 1000);
 * systemClock.clearTimeout(handle);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
