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
 *
 * @example
 * ```ts
 * const hold = requestLeadership(navigator.locks, name, () => running, () => becomeLeader());
 * hold.release();
 * ```
 */
export function requestLeadership(
  locks: LockManager,
  name: string,
  stillWanted: () => boolean,
  granted: () => void,
): LockHold {
  let lockRequest: AbortController | null = new AbortController();
  let releaseLock: (() => void) | null = null;
  locks
    .request(name, { mode: 'exclusive', signal: lockRequest.signal }, () => {
      if (!stillWanted()) return Promise.resolve();
      return new Promise<void>((resolve) => {
        releaseLock = resolve;
        granted();
      });
    })
    .catch(() => {
      // Aborted before it was granted: this tab stopped while following.
    });
  return {
    release() {
      lockRequest?.abort();
      lockRequest = null;
      releaseLock?.();
      releaseLock = null;
    },
  };
}
