/**
 * One key of a Web Storage that never throws. Storage may be blocked (privacy modes, sandboxed
 * iframes) or full; the slot then keeps the value in memory, so the page still works for its
 * own lifetime. Shared by the ticket store and the "booked" marker.
 */

/** The subset of the Web Storage API the core uses. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A key of a storage, with a memory fallback. */
export interface StorageSlot {
  read(): string | null;
  /** Writes `raw` (memory too, in case storage refuses it). */
  write(raw: string): void;
  remove(): void;
  /** Whether the last operation had to use the in-memory fallback. */
  readonly usingFallback: boolean;
}

/** `localStorage` where it can be reached, else null (reading the property may throw). */
export function localStorageOrNull(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * @param storage - the storage, or null for memory only
 * @param key - the key of the slot
 * @example
 * ```ts
 * const slot = createStorageSlot(localStorageOrNull(), 'queue-gate:v1:…');
 * slot.write('{}');
 * ```
 */
export function createStorageSlot(storage: StorageLike | null, key: string): StorageSlot {
  let memory: string | null = null;
  let usingFallback = storage === null;
  return {
    get usingFallback() {
      return usingFallback;
    },
    read() {
      if (usingFallback || !storage) return memory;
      try {
        return storage.getItem(key);
      } catch {
        usingFallback = true;
        return memory;
      }
    },
    write(raw) {
      memory = raw;
      if (!storage) return;
      try {
        storage.setItem(key, raw);
        usingFallback = false;
      } catch {
        // QuotaExceededError or a storage blocked mid-session: the memory copy keeps the value.
        usingFallback = true;
      }
    },
    remove() {
      memory = null;
      try {
        storage?.removeItem(key);
      } catch {
        usingFallback = true;
      }
    },
  };
}
