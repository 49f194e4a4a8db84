/**
 * A hand-driven `QueueEngine` for element tests: the test pushes snapshots and reads which
 * engine methods the element called. It lets each screen be rendered exactly, without timers.
 */
import { emptySnapshot } from '../../src/core/index.js';
import type { BookingOutcome, QueueEngine, QueueSnapshot } from '../../src/core/types.js';
import type { EngineFactory, EngineFactoryOptions } from '../../src/element/index.js';

/** A fixed instant for every test: 2026-11-23 12:00:00 UTC. */
export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

/** A complete snapshot with `overrides` applied: the core's idle one of `demo`, leading. */
export function snapshotOf(overrides: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return { ...emptySnapshot('demo', 'https://queue.test', true), ...overrides };
}

/** The engine methods the element may call, in order. */
export type EngineCall =
  'start' | 'stop' | 'retryNow' | 'rejoin' | 'reclaim' | 'identityChanged' | BookingOutcome;

/** A `QueueEngine` whose snapshots come from `push()`. */
export class FakeEngine implements QueueEngine {
  readonly calls: EngineCall[] = [];
  private current: QueueSnapshot;
  private readonly listeners = new Set<(snapshot: QueueSnapshot) => void>();

  constructor(initial: Partial<QueueSnapshot> = {}) {
    this.current = snapshotOf(initial);
  }

  /** Publishes a new snapshot made of the current one and `changes`. */
  push(changes: Partial<QueueSnapshot>): void {
    this.current = { ...this.current, ...changes };
    for (const listener of this.listeners) listener(this.current);
  }

  start(): void {
    this.calls.push('start');
  }
  stop(): void {
    this.calls.push('stop');
  }
  getSnapshot(): QueueSnapshot {
    return this.current;
  }
  subscribe(listener: (snapshot: QueueSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  retryNow(): void {
    this.calls.push('retryNow');
  }
  rejoin(): void {
    this.calls.push('rejoin');
  }
  reclaim(): void {
    this.calls.push('reclaim');
  }
  identityChanged(): void {
    this.calls.push('identityChanged');
  }
  /** Recorded by outcome: `booked` or `already-used`. */
  complete(outcome: BookingOutcome = 'booked'): void {
    this.calls.push(outcome);
  }
}

/** A factory that always hands out `engine` and records the options it was called with. */
export function factoryFor(engine: QueueEngine): EngineFactory & { seen: EngineFactoryOptions[] } {
  const seen: EngineFactoryOptions[] = [];
  const factory = (options: EngineFactoryOptions) => {
    // The element always hands over its identity source, a function: kept out of the record.
    const { identity: _identity, ...settings } = options;
    seen.push(settings);
    return engine;
  };
  return Object.assign(factory, { seen });
}

/** Visible text of the element's shadow root, whitespace collapsed. */
export function shadowText(element: Element): string {
  return (element.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Whether the element renders its default slot (the booking form). Tests assert on booleans
 * and strings, never on DOM nodes: a failing chai assertion that has to print a DOM node
 * stalls the test runner's reporter here instead of reporting the failure.
 */
export function hasDefaultSlot(element: Element): boolean {
  return element.shadowRoot?.querySelector('slot:not([name])') != null;
}
