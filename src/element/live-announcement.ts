/**
 * What the element's live region says. It looks at the snapshot as the screen presents it (see
 * `quiet-reconnect.ts`) on every update, the element's clock ticks included: a screen that
 * changes with time alone (a quiet reconnect that has lasted) is announced when it changes, and
 * a quiet one is not announced at all. A change seen while a language chunk loads is said once
 * the language arrives, in that language, rather than in English first and again.
 */
import type { QueueSnapshot } from '../core/types.js';
import { announcementFor } from './announcements.js';
import type { Localizer } from './localize.js';
import { presentedSnapshot } from './quiet-reconnect.js';

/** The live region's text of one element. */
export class LiveAnnouncement {
  /** The text the live region shows. */
  text = '';
  /** The presented snapshot last announced against (null before the first). */
  private said: QueueSnapshot | null = null;

  /**
   * Takes the current snapshot at `now`; `l` is null while the language loads (what changed is
   * then said once it arrives).
   *
   * @example
   * ```ts
   * live.review(controller.snapshot, localizer, Date.now());
   * ```
   */
  review(current: QueueSnapshot | null, l: Localizer | null, now: number): void {
    if (!current) {
      // A new engine (another room): its first snapshot is news again.
      this.said = null;
      return;
    }
    const presented = presentedSnapshot(current, now);
    if (!l || !presented || presented === this.said) return;
    const sentence = announcementFor(this.said, presented, l, now);
    this.said = presented;
    if (sentence !== null) this.text = sentence;
  }
}
