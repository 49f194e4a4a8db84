/**
 * The screens most visitors never see, in their own chunk loaded on demand: the opening-day
 * countdown, the cohort that is not open yet, and the request to sign in. They take Lit's `html`
 * and `nothing` from the caller instead of importing Lit, so the chunk has no imports: the
 * classic script's chunk then renders with the page's one Lit, not a second copy.
 */
import type { html as litHtml, nothing as litNothing, TemplateResult } from 'lit';
import type { QueueSnapshot } from '../core/types.js';
import type { Localizer } from './localize.js';

/** The parts of Lit the screens use, handed in by the element's first-load code. */
export interface LitKit {
  html: typeof litHtml;
  nothing: typeof litNothing;
  /** The first load's countdown format (`turn-countdown.ts`), handed in for the same reason. */
  countdownClock: (ms: number) => string;
}

/** The rare screens, bound to one Lit. */
export interface RareScreens {
  /**
   * Before a scheduled opening: the countdown to `opensAt`. `reloadNote` is the caller's line
   * about reloading (`place-truth.ts`: safe only where storage keeps the ticket).
   */
  preOpen(
    opensAt: number,
    l: Localizer,
    now: number,
    reloadNote: TemplateResult | typeof litNothing,
  ): TemplateResult;
  /** The visitor's cohort is not open yet (`opensAt`), or has closed (null). */
  cohortNotOpen(opensAt: number | null, l: Localizer, now: number): TemplateResult;
  /**
   * The room needs the visitor to sign in on the site: a calm request, with the site's own
   * sign-in in the `sign-in` slot (by default a link to `signInUrl`). Nothing is polled
   * meanwhile; signing in (`identity`, `identityProvider`, `identityChanged()`) continues.
   */
  signIn(s: QueueSnapshot, l: Localizer, signInUrl: string): TemplateResult;
}

/**
 * Binds the rare screens to the caller's Lit.
 *
 * @example
 * ```ts
 * import { html, nothing } from 'lit';
 * const screens = rareScreens({ html, nothing, countdownClock });
 * ```
 */
export function rareScreens({ html, nothing, countdownClock }: LitKit): RareScreens {
  return {
    preOpen: (opensAt, l, now, reloadNote) =>
      // The countdown is not a live region: a screen reader would read it every second.
      html`<h2 id="title" part="title">${l.t.preOpenTitle}</h2>
        <p part="notice">${l.t.preOpen(l.time(opensAt, now))}</p>
        <p part="countdown" class="countdown">
          ${
            // Never "0:00" while the draw's answer is on its way: say what is happening.
            opensAt > now
              ? html`<time datetime=${new Date(opensAt).toISOString()}>
                  ${l.t.opensIn(countdownClock(opensAt - now))}
                </time>`
              : l.t.openingNow
          }
        </p>
        ${reloadNote}`,
    cohortNotOpen: (opensAt, l, now) =>
      html`<h2 id="title" part="title">${l.t.cohortTitle}</h2>
        <p part="notice">
          ${opensAt === null ? l.t.cohortClosed : l.t.cohortNotOpen(l.time(opensAt, now))}
        </p>`,
    signIn: (s, l, signInUrl) => {
      const { t } = l;
      const refused = s.problem !== null && s.problem.code !== 'identity_required';
      const link = signInUrl
        ? html`<a part="sign-in-link" href=${signInUrl}>${t.signInLink}</a>`
        : nothing;
      return html`<h2 id="title" part="title">${t.signInTitle}</h2>
        <p part="notice">${refused ? t.signInAgain : t.signInNeeded}</p>
        <slot name="sign-in">${link}</slot>`;
    },
  };
}
