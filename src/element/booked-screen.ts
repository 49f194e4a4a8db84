/**
 * What the element shows once the journey is over (`booked`). Nothing here asks the visitor to
 * claim anything again: the place did its job. A "Join the line again" button is there for the
 * visitor who wants another booking, and only they start it.
 *
 * Two forms: the panel (after a reload, or when the server said the place was used before the
 * form was shown), and a notice above the slot (the booking just happened in this page, where
 * the site usually shows its own confirmation inside the slot, so the slot stays).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { QueueSnapshot } from '../core/types.js';
import type { Localizer } from './localize.js';

/**
 * @param s - the `booked` snapshot
 * @param l - the element's localizer
 * @param rejoin - starts a new journey
 * @param panel - the panel's heading and content (true), or the notice above the slot (false)
 */
export function renderBooked(
  s: QueueSnapshot | null,
  l: Localizer,
  rejoin: () => void,
  panel: boolean,
): TemplateResult {
  const { t } = l;
  const used = s?.booking?.outcome === 'already-used';
  const title = used ? t.alreadyUsedTitle : t.bookedTitle;
  const button = html`<button part="rejoin-button" class="secondary" @click=${rejoin}>
    ${t.rejoin}
  </button>`;
  if (panel) {
    return html`<h2 id="title" part="title">${title}</h2>
      <p part="booked-notice">${used ? t.alreadyUsed : t.booked}</p>
      ${button}`;
  }
  // "Already used" here means the backend refused a booking of this page: offer a new turn.
  return html`<div part="notice booked-notice" lang=${l.lang}>
    <p>${used ? `${title}. ${t.alreadyUsed}` : title}</p>
    ${used ? button : nothing}
  </div>`;
}
