/**
 * Leadership from the Web Locks API: the tab holding the room's exclusive lock leads, and the
 * browser hands the lock to the next tab when the leader closes or crashes.
 */

/** A pending or held lock request. */
export interface LockHold {
  /** Gives the lock up, or stops waiting for it. */
  release(): void;
}

/** `navigator.locks` where the browser has it. */
export function defaultLocks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

/**
 * Asks for the lock `name`; `granted` runs once this tab holds it, unless it stopped meanwhile.
 * When the browser refuses the request itself (a `SecurityError` in a cross-site iframe whose
 * browser blocks third-party storage, or in a sandboxed frame), `denied` runs instead: no other
 * tab can share this one's storage then, so the caller leads alone rather than wait forever.
 *
 * @example
 * ```ts
 * const hold = requestLeadership(navigator.locks, name, () => running, becomeLeader, becomeLeader);
 * hold.release();
 * ```
 */
export function requestLeadership(
  locks: LockManager,
  name: string,
  stillWanted: () => boolean,
  granted: () => void,
  denied: () => void,
): LockHold {
  let lockRequest: AbortController | null = new AbortController();
  let releaseLock: (() => void) | null = null;
  const refused = () => {
    // Aborted on purpose (this tab stopped while following) is not a refusal.
    if (lockRequest !== null && !lockRequest.signal.aborted && stillWanted()) denied();
  };
  try {
    locks
      .request(name, { mode: 'exclusive', signal: lockRequest.signal }, () => {
        if (!stillWanted()) return Promise.resolve();
        return new Promise<void>((resolve) => {
          releaseLock = resolve;
          granted();
        });
      })
      .catch(refused);
  } catch {
    // Some browsers throw synchronously rather than reject.
    queueMicrotask(refused);
  }
  return {
    release() {
      lockRequest?.abort();
      lockRequest = null;
      releaseLock?.();
      releaseLock = null;
    },
  };
}
