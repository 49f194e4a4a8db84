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

/** What a screen needs besides the snapshot: the element's clock, progress and actions. */
export interface ScreenContext {
  now: number;
  /** Largest position seen for this place: where the progress bar starts. */
  startPosition: number | null;
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
    const until = s.admissionExpiresAt === null ? null : l.time(s.admissionExpiresAt);
    return html`<h2 id="title" part="title">${t.admittedTitle}</h2>
      <p>${t.admitted(until)}</p>`;
  }
  if (s && status === 'booked') return renderBooked(s, l, () => context.rejoin(), true);
  if (s && status === 'rejected') {
    return html`<h2 id="title" part="title">${t.rejectedTitle}</h2>
      <p part="notice">${t.rejected(s.rejection?.code ?? '')}</p>
      <button part="rejoin-button" @click=${() => context.rejoin()}>${t.rejoin}</button>`;
  }
  return renderJoining(l);
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
  if (preOpen) return screens.preOpen(s.opensAt!, l, context.now);
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
  const ahead = peopleAhead(s.position);
  return html`<h2 id="title" part="title">${titles[s.status]}</h2>
    ${renderNotice(s, l, context)}
    <dl>
      <div>
        <dt>${t.placeLabel}</dt>
        <dd part="position">${s.seq === null ? '–' : l.number(s.seq)}</dd>
      </div>
      <div>
        <dt>${t.aheadLabel}</dt>
        <dd part="ahead">${ahead === null ? '–' : t.ahead(ahead, l.number(ahead))}</dd>
      </div>
      <div>
        <dt>${t.etaLabel}</dt>
        <dd part="eta">${l.estimate(s.estimate)}</dd>
      </div>
    </dl>
    ${renderProgress(s, l, context.startPosition)}
    <p class="meta" part="updated">${updated}</p>
    <p class="meta">${t.reloadSafe}</p>
    ${context.offerNotifications ? renderNotifyButton(l, context) : nothing}`;
}

function renderNotice(
  s: QueueSnapshot,
  l: Localizer,
  context: ScreenContext,
): TemplateResult | typeof nothing {
  const { t } = l;
  if (s.status === 'paused') return html`<p part="notice">${t.paused}</p>`;
  if (s.status === 'closed') return html`<p part="notice">${t.closed}</p>`;
  if (s.status !== 'reconnecting') return nothing;
  // The ticket's expiry is the honest bound: the server keeps the place at least until then.
  const keptUntil =
    s.ticketExpiresAt ??
    (s.holdSeconds !== null && s.lastUpdatedAt !== null
      ? s.lastUpdatedAt + s.holdSeconds * 1000
      : null);
  const retryIn =
    s.nextAttemptAt === null
      ? null
      : Math.max(0, Math.ceil((s.nextAttemptAt - context.now) / 1000));
  return html`<div part="notice">
    <p>
      ${(isServerBusy(s.problem) ? t.busy : t.reconnecting)(
        keptUntil === null ? null : l.time(keptUntil, context.now),
      )}
    </p>
    ${
      retryIn === null
        ? nothing
        : html`<p class="meta">${t.retryingIn(retryIn, l.number(retryIn))}</p>`
    }
    <button part="retry-button" class="secondary" @click=${() => context.retry()}>
      ${t.retryNow}
    </button>
  </div>`;
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
