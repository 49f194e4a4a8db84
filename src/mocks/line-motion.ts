/**
 * How a simulated line moves: `serving` over time, by a rate or by jumps, and when each seq's
 * turn came. The turn time matters because the hold window starts when the line reached a
 * visitor, not when the visitor next asked.
 */

/** A stretch of movement; seqs in `(from, to]` were reached during it. */
interface Movement {
  from: number;
  to: number;
  /** Real-valued line position at `startAt` (serving plus the banked fraction of a place). */
  startValue: number;
  startAt: number;
  /** Places per millisecond; `Infinity` for a jump. */
  perMs: number;
}

/** The moving front of a simulated line. Create one with {@link createLineMotion}. */
export interface LineMotion {
  /** Highest seq allowed in, as of the last `catchUp`/`jump`/`set`. */
  readonly serving: number;
  /**
   * Moves the line from the last call up to `at` at `perSecond` places per second, never past
   * `cap`. Stopping at the cap discards the banked fraction: real admission control admits
   * people who are in line, so an empty room does not save up capacity for the next joiner.
   */
  catchUp(at: number, perSecond: number, cap: number): void;
  /** Moves the line forward by `by` places at once. */
  jump(at: number, by: number): void;
  /** Puts the front at `serving` (forward as a jump; backward forgets later history). */
  set(at: number, serving: number): void;
  /** When `seq` was first allowed in, in epoch ms (never before `start`), or `null` if not yet. */
  turnAt(seq: number): number | null;
}

/**
 * @param start - epoch ms at which the line starts
 * @param serving - where its front starts
 * @returns the line's motion, driven by the caller's clock readings
 * @example
 * ```ts
 * const line = createLineMotion(0, 10);
 * line.catchUp(1500, 2, 100); // serving 13
 * line.turnAt(12); // 1000
 * ```
 */
export function createLineMotion(start: number, serving: number): LineMotion {
  let front = Math.max(0, Math.floor(serving));
  let fraction = 0;
  let lastAt = start;
  let movements: Movement[] = [];

  function push(from: number, to: number, startValue: number, startAt: number, perMs: number) {
    if (to > from) movements.push({ from, to, startValue, startAt, perMs });
  }

  return {
    get serving() {
      return front;
    },
    catchUp(at, perSecond, cap) {
      const elapsed = at - lastAt;
      if (elapsed > 0 && perSecond > 0) {
        const perMs = perSecond / 1000;
        const startValue = front + fraction;
        fraction += perMs * elapsed;
        const whole = Math.floor(fraction);
        const move = Math.min(whole, Math.max(0, cap - front));
        push(front, front + move, startValue, lastAt, perMs);
        front += move;
        fraction = move < whole ? 0 : fraction - whole;
      }
      lastAt = Math.max(lastAt, at);
    },
    jump(at, by) {
      const step = Math.floor(by);
      if (!(step > 0)) return;
      push(front, front + step, front, at, Infinity);
      front += step;
    },
    set(at, target) {
      const next = Math.max(0, Math.floor(target));
      if (next >= front) {
        push(front, next, front, at, Infinity);
      } else {
        movements = movements.filter((movement) => movement.to <= next);
      }
      front = next;
      fraction = 0;
    },
    turnAt(seq) {
      if (seq > front) return null;
      // Movements are ordered by `to`, so the newest one that passed `seq` is found from the end.
      for (let i = movements.length - 1; i >= 0; i--) {
        const movement = movements[i];
        if (seq > movement.to) break;
        if (seq > movement.from) {
          if (!Number.isFinite(movement.perMs)) return movement.startAt;
          return movement.startAt + Math.max(0, seq - movement.startValue) / movement.perMs;
        }
      }
      return start;
    },
  };
}
