/**
 * Moments when a waiting page should look again at once instead of waiting for its timer: the
 * network came back, or the visitor came back to the tab (browsers throttle background timers,
 * so a hidden tab's schedule may be far behind).
 */

/** A source of "look now" signals. */
export interface LifecycleSource {
  /** Calls `listener` on each signal; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * The browser's signals: `online` on `window`, and `visibilitychange` to visible on `document`.
 * Outside a browser it never signals.
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
  };
}
