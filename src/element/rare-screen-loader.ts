/**
 * Fetches the rare screens' chunk (`rare-screens.ts`) the first time a visitor needs one, once
 * per page, and says what to show meanwhile and after a failure.
 */
import { html, nothing } from 'lit';
import type { RareScreens } from './rare-screens.js';
import { countdownClock } from './turn-countdown.js';

/** Loads the rare screens; replaced in tests to make the load fail. */
export type RareScreensLoader = () => Promise<RareScreens>;

const importChunk: RareScreensLoader = () =>
  import('./rare-screens.js').then((module) =>
    module.rareScreens({ html, nothing, countdownClock }),
  );

let loader = importChunk;
let screens: RareScreens | 'failed' | null = null;
let pending: Promise<void> | null = null;

/**
 * The rare screens when loaded, `'failed'` when their chunk could not be fetched (the caller
 * then shows a plain message), or `'loading'` after starting the load; `onSettled` runs once it
 * has loaded or failed.
 */
export function rareScreensOrLoad(onSettled: () => void): RareScreens | 'failed' | 'loading' {
  if (screens) return screens;
  pending ??= loader().then(
    (loaded) => {
      screens = loaded;
    },
    () => {
      screens = 'failed';
    },
  );
  void pending.then(onSettled);
  return 'loading';
}

/** The load started, settled or not, for `updateComplete` to wait on; null before any. */
export function rareScreensLoad(): Promise<void> | null {
  return pending;
}

/**
 * Replaces how the chunk is fetched and forgets what was loaded. @internal tests only.
 *
 * @example
 * ```ts
 * setRareScreensLoader(() => Promise.reject(new TypeError('Failed to fetch')));
 * ```
 */
export function setRareScreensLoader(next: RareScreensLoader | null): void {
  loader = next ?? importChunk;
  screens = null;
  pending = null;
}
