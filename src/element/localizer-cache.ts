/**
 * The element's localizer, made again only when its language or its string overrides change.
 */
import {
  createLocalizer,
  resolveLanguage,
  type Localizer,
  type TranslationOverrides,
} from './localize.js';

/** Remembers the last localizer of one element. */
export class LocalizerCache {
  private cached: { key: string; strings: TranslationOverrides; value: Localizer } | null = null;

  /**
   * The localizer for `element`'s language (see `resolveLanguage`) with `strings` applied.
   *
   * @example
   * ```ts
   * const l = cache.localizerFor(element, element.strings);
   * ```
   */
  localizerFor(element: HTMLElement, strings: TranslationOverrides): Localizer {
    const key = resolveLanguage(element);
    const cached = this.cached;
    if (cached && cached.key === key && cached.strings === strings) return cached.value;
    const value = createLocalizer(key, strings);
    this.cached = { key, strings, value };
    return value;
  }
}
