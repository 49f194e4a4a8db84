/**
 * What the screen may say about the visitor's place, from what the snapshot knows. A stressed
 * visitor believes "your place is kept", so it is said only while it is true:
 * - before a ticket exists (the first join failed, the server is busy, the network is down),
 *   there is no place: "you are not in the line yet; we keep trying";
 * - with a ticket, the place is kept, and how long the turn is held once it comes is told;
 * - once the turn has come and the server cannot be reached, the hold is running out;
 * - "you can safely reload" only where storage keeps the ticket (see `persistence`).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { QueueSnapshot } from '../core/types.js';
import type { Localizer } from './localize.js';
import { holdDuration } from './turn-countdown.js';

/**
 * Whether the visitor holds a ticket (a pre-open one too): only then does the server keep a
 * place. The core sets `ticketExpiresAt` with the ticket and clears it with it; a place number
 * is a ticket's too (an engine that does not report the expiry still reports the place).
 */
export function holdsPlace(s: QueueSnapshot): boolean {
  return s.ticketExpiresAt !== null || s.seq !== null;
}

/** Whether the server's last answer said the visitor's turn has come. */
export function turnHasCome(s: QueueSnapshot): boolean {
  return s.seq !== null && s.serving !== null && s.serving >= s.seq;
}

/** Whether the turn came and the server cannot be reached: its hold is running out. */
const holdRunning = (s: QueueSnapshot): boolean => s.status === 'reconnecting' && turnHasCome(s);

/**
 * The sentence about the place while the server cannot be reached, is busy, or lets nobody in.
 *
 * @param s - the snapshot
 * @param l - the localizer
 * @param now - the element's time
 * @returns "not in the line yet", "kept" (with the hold once it matters), or "the clock runs"
 */
export function placeSentence(s: QueueSnapshot, l: Localizer, now: number): string {
  const { t } = l;
  if (!holdsPlace(s)) return t.notInLineYet;
  if (holdRunning(s)) {
    // The turn came with the last answer: the hold started then, at the latest.
    const endsAt =
      s.holdSeconds !== null && s.lastUpdatedAt !== null
        ? s.lastUpdatedAt + s.holdSeconds * 1000
        : null;
    return t.turnClockRunning(endsAt === null ? null : l.time(endsAt, now));
  }
  // While nobody is let in, the turn cannot come: its hold does not matter yet.
  const holdMatters = s.status === 'reconnecting' && s.holdSeconds !== null && s.holdSeconds > 0;
  return holdMatters
    ? `${t.placeKept} ${t.holdNotice(holdDuration(s.holdSeconds as number, l.lang))}`
    : t.placeKept;
}

/** Whether this page is framed by another: a tab of its own may then have storage. */
function isFramed(): boolean {
  try {
    return globalThis.self !== globalThis.top;
  } catch {
    return true;
  }
}

/**
 * The line about reloading: safe where storage keeps the ticket; where the browser denies
 * storage, the truth, and in a frame a link to the waiting room in a tab of its own (the same
 * page at top level, where the browser lets it keep the place).
 *
 * @param s - the snapshot
 * @param l - the localizer
 * @returns the reload note; before a ticket exists, only the link (there is no place to lose)
 */
export function renderReloadNote(s: QueueSnapshot, l: Localizer): TemplateResult | typeof nothing {
  const { t } = l;
  if (s.persistence !== 'memory') {
    // "Your place is kept" beside a hold that runs out would contradict it.
    const safe = holdsPlace(s) && !holdRunning(s);
    return safe ? html`<p class="meta" part="reload-note">${t.reloadSafe}</p>` : nothing;
  }
  const ownTab = isFramed()
    ? html`<a part="own-tab-link" href=${globalThis.location.href} target="_blank" rel="noopener"
        >${t.openOwnTab}</a
      >`
    : nothing;
  const unsafe = holdsPlace(s)
    ? html`<p class="meta" part="reload-note">${t.reloadUnsafe}</p>`
    : nothing;
  return html`${unsafe}${ownTab}`;
}
