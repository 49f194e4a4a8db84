/**
 * Keeps the operator's admin token for this tab only. sessionStorage, not localStorage: the
 * token controls every room, so it should not outlive the tab or reach other tabs.
 */

const KEY = 'queue-gate-demo:admin-token';

/** The token store of the operator panel. */
export interface AdminTokenStore {
  get(): string;
  set(token: string): void;
  clear(): void;
}

/**
 * @param storage - where to keep it (default `sessionStorage`); falls back to memory when blocked
 * @returns the store
 */
export function createAdminTokenStore(storage?: Storage | null): AdminTokenStore {
  let memory = '';
  const target = (): Storage | null => {
    try {
      return storage === undefined ? globalThis.sessionStorage : storage;
    } catch {
      return null;
    }
  };
  return {
    get() {
      try {
        return target()?.getItem(KEY) ?? memory;
      } catch {
        return memory;
      }
    },
    set(token) {
      memory = token;
      try {
        target()?.setItem(KEY, token);
      } catch {
        // Blocked storage: the token lives in memory until the tab closes.
      }
    },
    clear() {
      memory = '';
      try {
        target()?.removeItem(KEY);
      } catch {
        // Nothing stored where storage is blocked.
      }
    },
  };
}
