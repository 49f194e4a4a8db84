/**
 * The visitor's turn on screen. While waiting, how long the turn will be held; once admitted,
 * "It's your turn", the deadline, a countdown to it and a warning before it runs out.
 *
 * The countdown changes every second, so it is plain text, never a live region: a screen reader
 * would read it every second. The warning sits in a status region of its own that is empty
 * until the last minute, so it is said once, when it appears.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from './localize.js';

/** With this much of the admission left (or less), the warning shows. */
export const TURN_WARNING_MS = 60_000;

/**
 * h:mm:ss (or m:ss under an hour) of a non-negative duration, rounded up to the second: it
 * shows 0:00 only once the time is really up.
 *
 * @example
 * ```ts
 * countdownClock(107_000); // '1:47'
 * ```
 */
export function countdownClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/**
 * A hold window in words ("5 minutes", "5분"), rounded down: it never promises more time than
 * the server gives.
 *
 * @example
 * ```ts
 * holdDuration(300, 'en'); // '5 minutes'
 * ```
 */
export function holdDuration(seconds: number, lang: string): string {
  const [value, unit] =
    seconds < 120
      ? [seconds, 'second']
      : seconds < 3 * 3600
        ? [Math.floor(seconds / 60), 'minute']
        : [Math.floor(seconds / 3600), 'hour'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' })
    .format(value)
    .replace(/\s/gu, '\u00a0');
}

/** While waiting: "When it's your turn, you'll have 5 minutes to book", once the hold is known. */
export function renderHoldNotice(
  holdSeconds: number | null,
  l: Localizer,
): TemplateResult | typeof nothing {
  if (holdSeconds === null || holdSeconds <= 0) return nothing;
  return html`<p part="hold">${l.t.holdNotice(holdDuration(holdSeconds, l.lang))}</p>`;
}

/** The deadline sentence, the countdown to it and the last-minute warning. */
export function renderTurnDeadline(
  expiresAt: number | null,
  l: Localizer,
  now: number,
): TemplateResult {
  const { t } = l;
  if (expiresAt === null) return html`<p>${t.admitted(null)}</p>`;
  const left = Math.max(0, expiresAt - now);
  const seconds = Math.ceil(left / 1000);
  return html`<p>${t.admitted(l.time(expiresAt, now))}</p>
    <p part="countdown" class="countdown">
      <span class="countdown-label">${t.timeLeftLabel}</span>
      <time datetime=${`PT${seconds}S`}>${countdownClock(left)}</time>
    </p>
    <div role="status" class="turn-warning">
      ${left <= TURN_WARNING_MS ? html`<p part="turn-warning">${t.turnEndingSoon}</p>` : nothing}
    </div>`;
}

/**
 * Above the revealed booking form: "It's your turn", the deadline and the countdown.
 *
 * @example
 * ```ts
 * html`${renderAdmittedNotice(snapshot.admissionExpiresAt, localizer, Date.now())}<slot></slot>`;
 * ```
 */
export function renderAdmittedNotice(
  expiresAt: number | null,
  l: Localizer,
  now: number,
): TemplateResult {
  // Focusable by script only: the hand-off focuses it so the deadline is read before the form.
  return html`<div part="notice admitted-notice" class="turn" lang=${l.lang} tabindex="-1">
    <h2>${l.t.admittedTitle}</h2>
    ${renderTurnDeadline(expiresAt, l, now)}
  </div>`;
}
