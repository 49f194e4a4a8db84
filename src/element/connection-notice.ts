/**
 * What the panel says about the connection: the notice of the "connection lost" and "very
 * busy" screens (with the sentence about the place and "Try now"), and the small line that
 * says "Reconnecting…" while the first failures are retried quietly.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { QueueSnapshot } from '../core/types.js';
import type { Localizer } from './localize.js';
import { placeSentence } from './place-truth.js';
import { isServerBusy } from './server-busy.js';

/** Seconds from `now` until `at` (rounded up, never below 0), or null without a time. */
function secondsUntil(at: number | null | undefined, now: number): number | null {
  return at == null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The notice of a reconnecting snapshot. "Try now" waits for the server's `Retry-After`: until
 * then it is disabled and counts down on itself ("Try again in 12 s"), so a crowd's thumbs do
 * not hammer a server that asked for a pause (the core ignores an early retry as well).
 *
 * @param s - the reconnecting snapshot
 * @param l - the localizer
 * @param now - the element's time
 * @param retry - asks the engine to try now
 */
export function renderConnectionNotice(
  s: QueueSnapshot,
  l: Localizer,
  now: number,
  retry: () => void,
): TemplateResult {
  const { t } = l;
  const retryIn = secondsUntil(s.nextAttemptAt, now);
  const serverWaits = secondsUntil(s.problem?.retryAt, now) ?? 0;
  return html`<div part="notice">
    <p>${isServerBusy(s.problem) ? t.busy : t.reconnecting} ${placeSentence(s, l, now)}</p>
    ${retryIn === null ? nothing : html`<p class="meta">${t.retryingIn(retryIn, l.number(retryIn))}</p>`}
    <button
      part="retry-button"
      class="secondary"
      ?disabled=${serverWaits > 0}
      @click=${() => retry()}
    >
      ${serverWaits > 0 ? t.retryNowIn(l.number(serverWaits)) : t.retryNow}
    </button>
  </div>`;
}

/**
 * The line that says "Reconnecting…" while failures are retried quietly. It is always rendered
 * on the waiting screen and only made visible, so the layout does not move when it appears; it
 * is no live region (the quiet phase is announced by nothing, see `quiet-reconnect.ts`).
 *
 * @param quiet - whether a reconnect is under way quietly
 * @param l - the localizer
 */
export function renderConnectionLine(quiet: boolean, l: Localizer): TemplateResult {
  return html`<p
    class="meta"
    part="connection-status"
    style="visibility: ${quiet ? 'visible' : 'hidden'}"
  >
    ${l.t.reconnectingInline}
  </p>`;
}
