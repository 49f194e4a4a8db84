/**
 * The simulator's clock: the injected clock (or `Date.now`), sped up by `setSpeed` and moved
 * ahead by `skip`. The real service, signer and store read it, so "speed up time" speeds up
 * everything a real room does with time (the line, holds, token lifetimes) alike.
 */

/** A clock the simulator controls. */
export interface SimulatedClock {
  /** Simulated epoch ms; never goes back as long as the base clock does not. */
  now(): number;
  /** How many simulated milliseconds pass per base millisecond (0 stops time). */
  setSpeed(multiplier: number): void;
  readonly speed: number;
  /** Moves simulated time ahead at once by `ms`. */
  skip(ms: number): void;
  /** Back to the base clock's time at normal speed. */
  reset(): void;
}

/** @param base - the injected clock (epoch ms) */
export function createSimulatedClock(base: () => number): SimulatedClock {
  let baseAnchor = base();
  let simAnchor = baseAnchor;
  let speed = 1;
  const now = (): number => simAnchor + (base() - baseAnchor) * speed;
  return {
    now,
    setSpeed(multiplier) {
      simAnchor = now();
      baseAnchor = base();
      speed = Math.max(0, multiplier);
    },
    get speed() {
      return speed;
    },
    skip(ms) {
      simAnchor += Math.max(0, ms);
    },
    reset() {
      baseAnchor = base();
      simAnchor = baseAnchor;
      speed = 1;
    },
  };
}
