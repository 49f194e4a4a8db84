/**
 * What the element's live region says, kept while a language chunk loads: a change seen then
 * is said once the language arrives, in that language, rather than in English first and again.
 */
import type { QueueSnapshot } from '../core/types.js';
import { announcementFor } from './announcements.js';
import type { Localizer } from './localize.js';

/** The live region's text of one element. */
export class LiveAnnouncement {
  /** The text the live region shows. */
  text = '';
  /** The snapshot before the first change seen without a language, if any. */
  private unsaid: { previous: QueueSnapshot | null } | null = null;

  /**
   * Takes a new snapshot; `l` is null while the language loads.
   *
   * @example
   * ```ts
   * live.change(previous, next, localizer);
   * ```
   */
  change(previous: QueueSnapshot | null, next: QueueSnapshot, l: Localizer | null): void {
    if (!l) {
      this.unsaid ??= { previous };
      return;
    }
    const said = announcementFor(previous, next, l);
    if (said !== null) this.text = said;
  }

  /** The language arrived: says what changed meanwhile, from before it to `current`. */
  languageArrived(current: QueueSnapshot | null, l: Localizer | null): void {
    const unsaid = this.unsaid;
    this.unsaid = null;
    if (l && current && unsaid) this.change(unsaid.previous, current, l);
  }
}
