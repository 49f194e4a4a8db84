/**
 * The inside of the waiting panel for each status, as pure functions of the core's snapshot:
 * given the same snapshot, language and time they render the same screen, so every state can be
 * tested by pushing one snapshot.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { QueueSnapshot, QueueStatus } from '../core/types.js';
import { renderBooked } from './booked-screen.js';
import type { Localizer } from './localize.js';
import type { RareScreens } from './rare-screens.js';
import { isOriginRefused, isServerBusy, isSetupMistake } from './server-busy.js';
import { peopleAhead } from './people-ahead.js';
import type { PlaceProgress } from './place-progress.js';
import { renderHoldNotice, renderTurnDeadline } from './turn-countdown.js';
import { renderConnectionLine, renderConnectionNotice } from './connection-notice.js';
import { holdsPlace, placeSentence, renderReloadNote } from './place-truth.js';
import { estimateText } from './wait-phrase.js';

/** What a screen needs besides the snapshot: the element's clock, progress and actions. */
export interface ScreenContext {
  now: number;
  /** Where the progress bar starts (kept across reloads) and whether a draw gave the place. */
  progress: Pick<PlaceProgress, 'start' | 'fromDraw'>;
  admissionExpired: boolean;
  /** Whether to offer the notification-permission button (`notify` attribute). */
  offerNotifications: boolean;
  /** Where the visitor signs in (`sign-in-url`), or empty. */
  signInUrl: string;
  retry(): void;
  rejoin(): void;
  reclaim(): void;
  /** Re-renders (after the notification permission changed). */
  refresh(): void;
  /**
   * The screens in the on-demand chunk (see `rare-screen-loader.ts`): loaded, `'loading'` (its
   * load just started) or `'failed'`. Called only when one of them is needed.
   */
  rareScreens(): RareScreens | 'loading' | 'failed';
  /**
   * Whether the first failed requests are being retried without changing the screen (see
   * `quiet-reconnect.ts`): the snapshot then shows the screen before them, and a small line
   * says "Reconnecting…".
   */
  reconnectingQuietly?: boolean;
}

/** Statuses whose screen shows the visitor's numbers. */
const IN_LINE = new Set<QueueStatus>(['waiting', 'reconnecting', 'paused', 'closed']);

/** The heading and content of the waiting panel for `s` (null before the engine reports). */
export function renderScreenBody(
  s: QueueSnapshot | null,
  l: Localizer,
  context: ScreenContext,
): TemplateResult {
  const { t } = l;
  const status = s?.status ?? 'idle';
  const rare = rareScreenFor(s, status, l, context);
  if (rare) return rare;
  if (s && status === 'reconnecting' && isSetupMistake(s.problem)) {
    const [title, notice] = isOriginRefused(s.problem)
      ? [t.originRefusedTitle, t.originRefused]
      : [t.roomMissingTitle, t.roomMissing];
    return html`<h2 id="title" part="title">${title}</h2>
      <p part="notice">${notice}</p>`;
  }
  if (s && IN_LINE.has(status)) return renderInLine(s, l, context);
  if (status === 'admitting') {
    return html`<h2 id="title" part="title">${t.admittingTitle}</h2>
      <p><span class="spinner" aria-hidden="true"></span>${t.admitting}</p>`;
  }
  if (s && status === 'admitted' && context.admissionExpired) {
    return html`<h2 id="title" part="title">${t.admissionExpiredTitle}</h2>
      <p part="notice">${t.admissionExpired}</p>
      <button part="reclaim-button" @click=${() => context.reclaim()}>${t.reclaim}</button>`;
  }
  if (s && status === 'admitted') {
    return html`<h2 id="title" part="title">${t.admittedTitle}</h2>
      ${renderTurnDeadline(s.admissionExpiresAt, l, context.now)}`;
  }
  if (s && status === 'booked') return renderBooked(s, l, () => context.rejoin(), true);
  if (s && status === 'rejected') {
    return html`<h2 id="title" part="title">${t.rejectedTitle}</h2>
      <p part="notice">${t.rejected(s.rejection?.code ?? '')}</p>
      <button part="rejoin-button" @click=${() => context.rejoin()}>${t.rejoin}</button>`;
  }
  return html`${renderJoining(l)}
  ${context.reconnectingQuietly ? renderConnectionLine(true, l) : nothing}`;
}

/**
 * The opening-day, cohort and sign-in screens, from the on-demand chunk. While it loads, the
 * panel keeps the "joining" heading it showed (these screens come with the first answer), so
 * nothing flashes and the live region says nothing twice; if it failed, a plain heading and
 * notice in the first-load strings say the same thing without the countdown or the link.
 */
function rareScreenFor(
  s: QueueSnapshot | null,
  status: QueueStatus,
  l: Localizer,
  context: ScreenContext,
): TemplateResult | null {
  if (!s) return null;
  const { t } = l;
  const preOpen = status === 'waiting' && s.opensAt != null;
  const cohort =
    (status === 'paused' || status === 'closed') && s.problem?.code === 'cohort_not_open';
  const signIn = status === 'sign-in-required';
  if (!preOpen && !cohort && !signIn) return null;
  const screens = context.rareScreens();
  if (screens === 'loading') return renderJoining(l);
  if (screens === 'failed') {
    if (preOpen) return plainScreen(t.preOpenTitle, t.preOpen(l.time(s.opensAt!, context.now)));
    if (cohort) {
      const opensAt = s.cohortOpensAt ?? null;
      const notice =
        opensAt === null ? t.cohortClosed : t.cohortNotOpen(l.time(opensAt, context.now));
      return plainScreen(t.cohortTitle, notice);
    }
    const refused = s.problem !== null && s.problem.code !== 'identity_required';
    const notice = refused ? t.signInAgain : t.signInNeeded;
    return html`${plainScreen(t.signInTitle, notice)}<slot name="sign-in"></slot>`;
  }
  if (preOpen) return screens.preOpen(s.opensAt!, l, context.now, renderReloadNote(s, l));
  if (cohort) return screens.cohortNotOpen(s.cohortOpensAt ?? null, l, context.now);
  return screens.signIn(s, l, context.signInUrl);
}

function plainScreen(title: string, notice: string): TemplateResult {
  return html`<h2 id="title" part="title">${title}</h2>
    <p part="notice">${notice}</p>`;
}

/** The heading shown until the first answer (and while a rare screen loads). */
export function renderJoining(l: Localizer | null): TemplateResult {
  return html`<h2 id="title" part="title">
    <span class="spinner" aria-hidden="true"></span>${l?.t.joining ?? nothing}
  </h2>`;
}

function renderInLine(s: QueueSnapshot, l: Localizer, context: ScreenContext): TemplateResult {
  const { t } = l;
  const titles: Partial<Record<QueueStatus, string>> = {
    waiting: t.waitingTitle,
    reconnecting: isServerBusy(s.problem) ? t.busyTitle : t.reconnectingTitle,
    paused: t.pausedTitle,
    closed: t.closedTitle,
  };
  let updated = t.updatedNever;
  if (s.lastUpdatedAt !== null) {
    const seconds = Math.max(0, Math.floor((context.now - s.lastUpdatedAt) / 1000));
    updated = t.updatedAgo(seconds, l.number(seconds));
  }
  // Without a ticket there are no figures to show: "your number –" beside a notice reads as a
  // place that is not there.
  if (!holdsPlace(s)) {
    return html`<h2 id="title" part="title">${titles[s.status]}</h2>
      ${renderNotice(s, l, context)} ${renderReloadNote(s, l)}`;
  }
  return html`<h2 id="title" part="title">${titles[s.status]}</h2>
    ${renderNotice(s, l, context)} ${renderFigures(s, l, context.progress, context.now)}
    ${renderProgress(s, l, context.progress.start)}
    ${s.status === 'waiting' ? renderHoldNotice(s.holdSeconds, l) : nothing}
    <p class="meta" part="updated">${updated}</p>
    ${s.status === 'waiting' ? renderConnectionLine(!!context.reconnectingQuietly, l) : nothing}
    ${renderReloadNote(s, l)}
    ${context.offerNotifications ? renderNotifyButton(l, context) : nothing}`;
}

function renderNotice(
  s: QueueSnapshot,
  l: Localizer,
  context: ScreenContext,
): TemplateResult | typeof nothing {
  const { t } = l;
  const place = placeSentence(s, l, context.now);
  if (s.status === 'paused') return html`<p part="notice">${t.paused} ${place}</p>`;
  if (s.status === 'closed') return html`<p part="notice">${t.closed} ${place}</p>`;
  if (s.status !== 'reconnecting') return nothing;
  return renderConnectionNotice(s, l, context.now, () => context.retry());
}

/**
 * One layout at every width: what matters most is biggest. The people ahead are the headline,
 * the wait comes next, and the visitor's number is a line of small print: a seven-digit number
 * must not outshout a wait of minutes, and it is not a count of people (after a draw, number 21
 * with 13 ahead). It stays because it is the place's name, which support and the opening draw's
 * published results refer to; after a draw its label says where it came from.
 */
function renderFigures(
  s: QueueSnapshot,
  l: Localizer,
  progress: ScreenContext['progress'],
  now: number,
): TemplateResult {
  const { t } = l;
  const ahead = peopleAhead(s.position);
  const drawStart = progress.fromDraw ? peopleAhead(progress.start) : null;
  return html`${
      drawStart === null
        ? nothing
        : html`<p part="draw-notice">${t.drawPlaced(drawStart, l.number(drawStart))}</p>`
    }
    <dl class="figures">
      <div class="headline">
        <dt>${t.aheadLabel}</dt>
        <dd part="ahead">${ahead === null ? '–' : t.ahead(ahead, l.number(ahead))}</dd>
      </div>
      <div class="wait">
        <dt>${t.etaLabel}</dt>
        <dd part="eta">${estimateText(s, l, now)}</dd>
      </div>
      <div class="secondary">
        <dt>${progress.fromDraw ? t.placeFromDrawLabel : t.placeLabel}</dt>
        <dd part="position">${s.seq === null ? '–' : l.number(s.seq)}</dd>
      </div>
    </dl>`;
}

function renderProgress(
  s: QueueSnapshot,
  l: Localizer,
  startPosition: number | null,
): TemplateResult | typeof nothing {
  if (s.position === null) return nothing;
  const start = startPosition ?? s.position;
  const percent = start > 0 ? Math.round(((start - s.position) / start) * 100) : 100;
  return html`<div
    part="progress"
    role="progressbar"
    aria-label=${l.t.progressLabel}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${percent}
  >
    <div class="bar" part="progress-bar" style="width: ${percent}%"></div>
  </div>`;
}

function renderNotifyButton(l: Localizer, context: ScreenContext): TemplateResult | typeof nothing {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return nothing;
  return html`<button
    part="notify-button"
    class="secondary"
    @click=${async () => {
      await Notification.requestPermission();
      context.refresh();
    }}
  >
    ${l.t.notifyButton}
  </button>`;
}
