/**
 * The leadership lease of the tabs where Web Locks is missing: a record in localStorage naming
 * the leader and when its lease runs out. The leader renews it with each heartbeat; a tab may
 * claim it once it is free (absent, its own, or run out).
 */
import type { Clock } from './clock.js';
import type { StorageLike } from './ticket-store.js';

/** Options of {@link createStorageLease}. */
export interface StorageLeaseOptions {
  storage: StorageLike | null;
  /** The storage key of the room's lease. */
  key: string;
  /** This tab's id. */
  id: string;
  clock: Clock;
  /** How long a written lease lasts, in ms. */
  leaseMs: number;
}

/** One tab's view of the shared lease. */
export interface StorageLease {
  /** The lease as stored, or null when there is none (or it is unreadable). */
  read(): { id: string; expiresAt: number } | null;
  /** Writes (or renews) the lease for this tab. */
  write(): void;
  /** Whether this tab may take the lease. */
  isFree(): boolean;
  /** Removes the lease if this tab holds it. */
  releaseIfOwned(): void;
}

/** `localStorage` where it is readable. */
export function defaultStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Creates this tab's handle on the room's lease.
 *
 * @example
 * ```ts
 * const lease = createStorageLease({ storage: localStorage, key, id, clock: systemClock, leaseMs: 3500 });
 * if (lease.isFree()) lease.write();
 * ```
 */
export function createStorageLease(options: StorageLeaseOptions): StorageLease {
  const { storage, key, id, clock, leaseMs } = options;
  const read = (): { id: string; expiresAt: number } | null => {
    try {
      const value: unknown = JSON.parse(storage?.getItem(key) ?? 'null');
      if (typeof value !== 'object' || value === null) return null;
      const lease = value as Record<string, unknown>;
      return typeof lease.id === 'string' && typeof lease.expiresAt === 'number'
        ? { id: lease.id, expiresAt: lease.expiresAt }
        : null;
    } catch {
      return null;
    }
  };
  return {
    read,
    write() {
      try {
        storage?.setItem(key, JSON.stringify({ id, expiresAt: clock.now() + leaseMs }));
      } catch {
        // A full or blocked storage leaves the heartbeats alone to hold the lease.
      }
    },
    isFree() {
      const lease = read();
      return !lease || lease.id === id || lease.expiresAt <= clock.now();
    },
    releaseIfOwned() {
      if (read()?.id !== id) return;
      try {
        storage?.removeItem(key);
      } catch {
        // Nothing to clean where storage is blocked.
      }
    },
  };
}
