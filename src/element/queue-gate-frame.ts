/**
 * The element's outer screen: the revealed form (with its "admitted" or "booked" notice) or
 * the waiting panel with its slots, inline or as an overlay. The panel's inside is
 * `queue-gate-screens.ts`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { QueueSnapshot } from '../core/types.js';
import { renderBooked } from './booked-screen.js';
import type { Localizer } from './localize.js';
import { renderJoining, renderScreenBody, type ScreenContext } from './queue-gate-screens.js';
import { renderAdmittedNotice } from './turn-countdown.js';

/** What the outer screen needs besides the snapshot and the language. */
export interface FrameContext extends ScreenContext {
  /** Whether the slotted form has been revealed by a hand-off. */
  revealed: boolean;
  /** `mode="overlay"`: no notice above the form, the panel covers the page. */
  overlay: boolean;
}

/**
 * Renders the whole element: the live region, then the screen for `snapshot`.
 *
 * @example
 * ```ts
 * render(renderGate('', snapshot, localizer, { ...context, revealed: false, overlay: false }), root);
 * ```
 */
export function renderGate(
  announcement: string,
  snapshot: QueueSnapshot | null,
  l: Localizer | null,
  context: FrameContext,
): TemplateResult {
  // One outer template: the live region stays the same node across every screen, because a
  // screen reader may miss an announcement made by a region that was just inserted.
  return html`<div class="visually-hidden" role="status" aria-atomic="true">${announcement}</div>
    ${renderFrame(snapshot, l, context)}`;
}

/**
 * Renders the screen for `snapshot`; with no localizer (the language's chunk is loading), the
 * panel with its spinner and no text, so the visitor never sees a sentence in the wrong
 * language and the panel keeps its place.
 *
 * @example
 * ```ts
 * render(renderFrame(snapshot, localizer, { ...context, revealed: false, overlay: false }), root);
 * ```
 */
export function renderFrame(
  snapshot: QueueSnapshot | null,
  l: Localizer | null,
  context: FrameContext,
): TemplateResult {
  const { revealed, overlay, ...screen } = context;
  if (!l) {
    if (revealed && (snapshot?.status === 'booked' || snapshot?.status === 'admitted')) {
      return html`<slot></slot>`;
    }
    const waiting = html`<section part="panel" aria-labelledby="title" aria-busy="true">
      <slot name="logo"></slot>
      <slot name="header"></slot>
      ${renderJoining(null)}
      <slot name="footer"></slot>
    </section>`;
    return overlay ? html`<div class="overlay">${waiting}</div>` : waiting;
  }
  if (snapshot?.status === 'booked' && revealed) {
    const notice = overlay ? nothing : renderBooked(snapshot, l, () => screen.rejoin(), false);
    return html`${notice}<slot></slot>`;
  }
  const open = snapshot?.status === 'admitted' && revealed && !screen.admissionExpired;
  if (open) {
    const notice = overlay
      ? nothing
      : renderAdmittedNotice(snapshot.admissionExpiresAt, l, screen.now);
    return html`${notice}<slot></slot>`;
  }
  const panel = html`<section part="panel" aria-labelledby="title" lang=${l.lang} dir=${l.t.$dir}>
    <slot name="logo"></slot>
    <slot name="header"></slot>
    ${renderScreenBody(snapshot, l, screen)}
    <slot name="footer"></slot>
  </section>`;
  return overlay ? html`<div class="overlay">${panel}</div>` : panel;
}
