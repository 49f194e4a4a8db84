/**
 * Moments when a waiting page should look again at once instead of waiting for its timer: the
 * network came back, or the visitor came back to the tab (browsers throttle background timers,
 * so a hidden tab's schedule may be far behind). And moments when the page stops running with
 * its state kept, and runs again: the back/forward cache.
 */

/** A source of "look now" signals, and of the page pausing and running again. */
export interface LifecycleSource {
  /** Calls `listener` on each signal; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Calls `paused` when the page stops running but is kept (put into the back/forward cache)
   * and `resumed` when it runs again; returns the unsubscribe function. Optional: a source
   * without it never pauses.
   */
  subscribePause?(paused: () => void, resumed: () => void): () => void;
}

/**
 * The browser's signals: `online` on `window`, and `visibilitychange` to visible on `document`;
 * for pausing, `pagehide` and `pageshow` that keep the page (`persisted`). (A page frozen in the
 * background needs nothing: Chrome does not leave a frozen tab's Web Lock in the way; see
 * test/e2e/audit-device-bfcache.test.ts.) Outside a browser it never signals.
 *
 * @example
 * ```ts
 * const stop = createDomLifecycle().subscribe(() => engine.retryNow());
 * ```
 */
export function createDomLifecycle(
  target: { window?: EventTarget; document?: Document } = {
    window: typeof window === 'undefined' ? undefined : window,
    document: typeof document === 'undefined' ? undefined : document,
  },
): LifecycleSource {
  return {
    subscribe(listener) {
      const onOnline = () => listener();
      const onVisibility = () => {
        if (target.document?.visibilityState === 'visible') listener();
      };
      target.window?.addEventListener('online', onOnline);
      target.document?.addEventListener('visibilitychange', onVisibility);
      return () => {
        target.window?.removeEventListener('online', onOnline);
        target.document?.removeEventListener('visibilitychange', onVisibility);
      };
    },
    subscribePause(paused, resumed) {
      const onHide = (event: Event) => (event as PageTransitionEvent).persisted && paused();
      const onShow = (event: Event) => (event as PageTransitionEvent).persisted && resumed();
      target.window?.addEventListener('pagehide', onHide);
      target.window?.addEventListener('pageshow', onShow);
      return () => {
        target.window?.removeEventListener('pagehide', onHide);
        target.window?.removeEventListener('pageshow', onShow);
      };
    },
  };
}
