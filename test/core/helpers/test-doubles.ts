/**
 * Injected parts for core tests: a seeded random source, storages that behave like the
 * hostile ones browsers hand out, and a lifecycle the test triggers.
 */
import type { LifecycleSource } from '../../../src/core/lifecycle.js';
import type { StorageLike } from '../../../src/core/ticket-store.js';

/** A deterministic uniform [0, 1) source (mulberry32) that also records what it returned. */
export function seededRandom(seed: number): (() => number) & { drawn: number[] } {
  let a = seed >>> 0;
  const drawn: number[] = [];
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
