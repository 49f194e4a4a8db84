/**
 * The element's localizer, made again only when its language or its string overrides change,
 * and the wait for a language that loads on demand.
 */
import {
  createLocalizer,
  loadTranslation,
  resolveLanguage,
  type Localizer,
  type TranslationOverrides,
} from './localize.js';

/** Remembers the last localizer of one element. */
export class LocalizerCache {
  private cached: { key: string; strings: TranslationOverrides; value: Localizer } | null = null;
  /** The last language chunk load started, settled or not (for the element's `updateComplete`). */
  lastLoad: Promise<void> | null = null;

  /**
   * The localizer for `element`'s language (see `resolveLanguage`) with `strings` applied, or
   * null while that language's chunk is loading; `onLoaded` is then called once it has loaded
   * or failed (a failed language falls back to English), once per load.
   *
   * @example
   * ```ts
   * const l = cache.localizerFor(element, element.strings, () => element.requestUpdate());
   * ```
   */
  localizerFor(
    element: HTMLElement,
    strings: TranslationOverrides,
    onLoaded: () => void,
  ): Localizer | null {
    const key = resolveLanguage(element);
    const cached = this.cached;
    if (cached && cached.key === key && cached.strings === strings) return cached.value;
    const pending = loadTranslation(key);
    if (pending) {
      if (this.lastLoad !== pending) {
        this.lastLoad = pending;
        void pending.then(onLoaded);
      }
      return null;
    }
    const value = createLocalizer(key, strings);
    this.cached = { key, strings, value };
    return value;
  }
}
