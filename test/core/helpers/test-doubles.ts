/**
 * Injected parts for core tests: a seeded random source, storages that behave like the
 * hostile ones browsers hand out, and a lifecycle the test triggers. Nothing here needs a
 * browser: Node tests of the core take their doubles from here too.
 */
import { createSeededRandom } from '../../../bench/seeded-random.js';
import type { LifecycleSource } from '../../../src/core/lifecycle.js';
import type { StorageLike } from '../../../src/core/ticket-store.js';

/**
 * A deterministic uniform [0, 1) source (the benchmarks' mulberry32) that also records what it
 * returned.
 */
export function seededRandom(seed: number): (() => number) & { drawn: number[] } {
  const source = createSeededRandom(seed);
  const drawn: number[] = [];
  const next = () => {
    const value = source();
    drawn.push(value);
    return value;
  };
  return Object.assign(next, { drawn });
}

/** An in-memory Storage shared by "tabs" of one test (a reload = a new engine over it). */
export function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, String(value)),
    removeItem: (key) => void data.delete(key),
  };
}

/** Storage that throws on every access, like a sandboxed iframe's or a blocked one. */
export function blockedStorage(): StorageLike {
  const deny = () => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return { getItem: deny, setItem: deny, removeItem: deny };
}

/** Storage that reads fine but refuses writes, like a full one. */
export function fullStorage(): StorageLike & { data: Map<string, string> } {
  const inner = memoryStorage();
  return {
    ...inner,
    setItem: () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
}

/** A lifecycle whose "online / visible again" signal the test fires. */
export function manualLifecycle(): LifecycleSource & { fire(): void } {
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire: () => listeners.forEach((listener) => listener()),
  };
}

let counter = 0;
/** A room id no other test uses, so channels, locks and storage keys never cross tests. */
export function uniqueRoom(prefix = 'room'): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
