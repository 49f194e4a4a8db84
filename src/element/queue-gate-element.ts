/**
 * The `<queue-gate>` element: a view of the client core's snapshot. The engine lives in
 * `QueueController`; hand-off (`hand-off-flow.ts`), events (`snapshot-reactions.ts`), the outer
 * screen (`queue-gate-frame.ts`), languages and tab nudges live in their own modules, and the
 * properties and attributes in `queue-gate-properties.ts`. This file wires them to those.
 */
import type { PropertyValues, TemplateResult } from 'lit';
import type { QueueSnapshot, QueueStatus } from '../core/types.js';
import { settleChunkLoads } from './chunk-loads.js';
import { pageFetch, type FetchLike } from './authorized-fetch.js';
import { gateFetch } from './gate-fetch.js';
import { handOffAdmission, onFormSent } from './hand-off-flow.js';
import { identityFrom } from './identity-source.js';
import { LiveAnnouncement } from './live-announcement.js';
import { createLocalizer, type Localizer } from './localize.js';
import { LocalizerCache } from './localizer-cache.js';
import { QueueController } from './queue-controller.js';
import { isQuietReconnect, presentedSnapshot } from './quiet-reconnect.js';
import { renderGate } from './queue-gate-frame.js';
import { ENGINE_INPUTS, IDENTITY_INPUTS, QueueGateProperties } from './queue-gate-properties.js';
import { queueGateStyles } from './queue-gate-styles.js';
import { rareScreensLoad, rareScreensOrLoad } from './rare-screen-loader.js';
import { admissionExpiredEvent, emitSnapshotEvents } from './snapshot-reactions.js';
import type { ReactionHost } from './snapshot-reactions.js';
import { TitleNudge } from './title-nudge.js';

/**
 * A virtual waiting room in front of a booking form. The slotted form stays unrendered (not
 * focusable, absent from the accessibility tree) until the visitor is admitted; then it is
 * revealed with the admission in a hidden `queue_admission` field, or the visitor is sent to
 * `admit-url` with it.
 *
 * @example
 * ```html
 * <script type="module" src="https://unpkg.com/queue-gate"></script>
 * <queue-gate room="concert" endpoint="https://queue.example.org">
 *   <form method="post" action="/book">…</form>
 * </queue-gate>
 * ```
 *
 * @tag queue-gate
 *
 * @fires {QueueGateChangeEvent} queue-gate-change - every status change
 * @fires {QueueGateAdmitEvent} queue-gate-admit - an admission arrived, before the hand-off; cancelable
 * @fires {QueueGateAdmittedEvent} queue-gate-admitted - the hand-off ran
 * @fires {QueueGateBookedEvent} queue-gate-booked - the journey ended in this page: booked, or the place was already used
 * @fires {QueueGateErrorEvent} queue-gate-error - the ticket was rejected, the admission expired unused (`admission_expired`), the server has no such room or refuses this page's origin (`origin_not_allowed`), or the room needs the visitor to sign in (`identity_required`, or the code the identity was refused with)
 *
 * @slot - The booking form (or anything), shown only once admitted.
 * @slot logo - A logo at the top of the waiting panel.
 * @slot header - Content above the waiting information (e.g. the event's name).
 * @slot footer - Content below the waiting information (e.g. a help link).
 * @slot sign-in - The site's sign-in (a link or a button), shown when the room needs the visitor to sign in; by default a link to `sign-in-url` when set.
 *
 * @csspart panel - The waiting panel.
 * @csspart title - The panel's heading.
 * @csspart position - The visitor's number in line (small print, below the wait).
 * @csspart ahead - How many people are ahead: the headline figure.
 * @csspart eta - The wait estimate.
 * @csspart draw-notice - How many people were ahead when the opening draw placed the visitor.
 * @csspart hold - How long the turn is held once it comes ("you'll have 5 minutes to book").
 * @csspart progress - The progress bar's track.
 * @csspart progress-bar - The progress bar's filled part.
 * @csspart updated - The "updated N s ago" line.
 * @csspart notice - A message about the connection, the room or the admission.
 * @csspart retry-button - "Try now" while reconnecting.
 * @csspart rejoin-button - "Join the line again" after a rejection.
 * @csspart reclaim-button - "Claim admission again" after the admission expired.
 * @csspart countdown - The time left until a scheduled opening, or to book once admitted.
 * @csspart turn-warning - "Less than a minute left" once admitted.
 * @csspart admitted-notice - The deadline to complete the booking once admitted.
 * @csspart booked-notice - "Booking complete" (or "already used") once the journey is over.
 * @csspart notify-button - Asks for notification permission (with `notify`).
 * @csspart sign-in-link - The default link to `sign-in-url` when the room needs the visitor to sign in.
 * @csspart connection-status - "Reconnecting…" while the first failed requests are retried (its space is always kept on the waiting screen).
 * @csspart reload-note - Whether a reload keeps the place ("You can safely reload…", or that this page cannot keep it).
 * @csspart own-tab-link - Opens the waiting room in a tab of its own, offered in a frame where the browser denies storage.
 *
 * @cssproperty --queue-gate-accent - Progress bar, buttons and focus ring.
 * @cssproperty --queue-gate-on-accent - Text on accent-coloured buttons.
 * @cssproperty --queue-gate-background - Panel background.
 * @cssproperty --queue-gate-text - Main text colour.
 * @cssproperty --queue-gate-muted - Labels, secondary text and the progress track's edge.
 * @cssproperty --queue-gate-track - Progress track and panel border.
 * @cssproperty --queue-gate-warning-background - Background of notices.
 * @cssproperty --queue-gate-danger - Colour for rejection messages.
 * @cssproperty --queue-gate-radius - Corner radius of the panel.
 * @cssproperty --queue-gate-font - Font family.
 * @cssproperty --queue-gate-overlay-background - Page cover in overlay mode.
 * @cssproperty --queue-gate-max-width - Largest width of the panel.
 */
export class QueueGateElement extends QueueGateProperties {
  static override styles = queueGateStyles;

  /**
   * Registers the element as `tag`. Idempotent: a second call (another bundle on the page, a
   * hot reload) is a no-op instead of a `NotSupportedError`.
   */
  static define(tag = 'queue-gate', registry: CustomElementRegistry = customElements): void {
    if (!registry.get(tag)) registry.define(tag, this);
  }

  /** The fetch that `gate.fetch()` sends through. @internal */
  fetchImplementation: FetchLike = pageFetch;
  /** Current time; replaced in tests. @internal */
  now: () => number = () => Date.now();
  /** The background-tab nudge; replaced in tests. @internal */
  titleNudge: TitleNudge = new TitleNudge();

  private readonly controller: QueueController;
  private readonly reportedSetupCodes = new Set<string>();
  private readonly live = new LiveAnnouncement();
  private revealed = false;
  /** The admission whose recheck is asked for when this page goes away (see `onFormSent`). */
  private recheckOnLeaveFor: string | null = null;
  private readonly cachedLocalizer = new LocalizerCache();

  constructor() {
    super();
    this.controller = new QueueController(this, {
      now: () => this.now(),
      identity: identityFrom(this),
      onSnapshot: (next, previous) => this.onSnapshot(next, previous),
      onAdmissionExpired: () => this.onAdmissionExpired(),
    });
    // A sent form used its admission: it must not then be reported as expired. When this page
    // goes away for the booking's answer (the navigation commits only once it came), the tab that
    // stays asks the server whether the admission booked, so it ends the journey too instead of
    // offering the form again; that tab may be another, leading one.
    onFormSent(this, () => {
      if (this.status !== 'admitted') return;
      this.controller.admissionUsed = true;
      this.controller.bookingSentHere = true;
      // Once per admission, however often the visitor presses the button.
      const admission = this.controller.snapshot?.admission ?? null;
      if (admission === this.recheckOnLeaveFor) return;
      this.recheckOnLeaveFor = admission;
      globalThis.addEventListener?.('pagehide', () => this.controller.recheckAdmission(), {
        once: true,
      });
    });
  }

  /** The core's status; `admitted` once admitted, `booked` once the journey is over. */
  get status(): QueueStatus {
    return this.controller.snapshot?.status ?? 'idle';
  }

  /** The visitor's number in line, once known. */
  get seq(): number | null {
    return this.controller.snapshot?.seq ?? null;
  }

  /** People still ahead, once known. */
  get position(): number | null {
    return this.controller.snapshot?.position ?? null;
  }

  /** The admission token while admitted, else null. */
  get admission(): string | null {
    const snapshot = this.controller.snapshot;
    return snapshot?.status === 'admitted' ? snapshot.admission : null;
  }

  /**
   * `fetch` with `Authorization: Bearer <admission>`, for apps that book through an API.
   * Rejects when there is no admission yet.
   *
   * A booking (any method but GET, HEAD and OPTIONS) that gets a 2xx answer ends the journey:
   * the status becomes `booked` and `queue-gate-booked` fires (in the tab that talks to the
   * queue server, before the promise resolves; other tabs follow a moment later). A `409` with
   * the code `admission_used` ends it as "already used". Any other answer leaves the admission
   * as it was. While the request is out, the admission is not reported as expired.
   *
   * @example
   * ```ts
   * const gate = document.querySelector('queue-gate')!;
   * await gate.fetch('/api/bookings', { method: 'POST', body: JSON.stringify(order) });
   * ```
   */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return gateFetch(this.controller, this.admission, input, init, this.fetchImplementation);
  }

  /**
   * Ends the journey: the booking made with the admission succeeded. For pages that book some
   * other way than `gate.fetch` (a form posted from a single-page app, a booking confirmed by
   * the backend after an `admit-url` hand-off). The status becomes `booked`: no polling, no
   * admission expiry, no "claim admission again"; a reload or another tab shows the journey as
   * done and takes no new place unless the visitor asks to join again.
   *
   * @example
   * ```ts
   * const result = await myApi.book(order, gate.admission);
   * if (result.ok) gate.complete();
   * ```
   */
  complete(): void {
    this.controller.complete('booked');
  }

  /** Asks the server now instead of waiting for the next attempt. */
  retry(): void {
    this.controller.retryNow();
  }

  /** Discards a rejected ticket (or a finished journey) and joins the line again. */
  rejoin(): void {
    this.controller.rejoin();
  }

  /** Claims a new admission with the kept ticket (after the last one expired unused). */
  reclaim(): void {
    this.controller.reclaim();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.titleNudge.restore();
  }

  /**
   * Tells the element the visitor signed in or out (for an `identityProvider` or `identity-url`
   * whose answer changed; setting `identity` or `identityProvider` does it by itself). It joins
   * again with the ticket and the new identity: an anonymous place is kept and bound to the
   * person, and a visitor asked to sign in joins.
   */
  identityChanged(): void {
    this.controller.identityChanged();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Every update, the clock's ticks too: a reconnect that has lasted changes the screen.
    this.live.review(this.controller.snapshot, this.localizer(), this.now());
    if (ENGINE_INPUTS.some((name) => changed.has(name))) {
      const endpoint = this.endpoint || globalThis.location?.origin || '';
      this.controller.configure(this.room, endpoint, this.engineFactory, this.cohort);
      this.reportedSetupCodes.clear();
      // A new engine asks for the identity on its first join anyway.
      return;
    }
    // The first update sets the defaults; only a later change is a sign-in or sign-out.
    if (IDENTITY_INPUTS.some((name) => changed.has(name) && changed.get(name) !== undefined)) {
      this.controller.identityChanged();
    }
  }

  /** Dispatches the element's own events; the manifest documents them from `@fires`. */
  private eventHost(): ReactionHost {
    const { notify, titleNudge, reportedSetupCodes } = this;
    return { notify, titleNudge, reportedSetupCodes, emit: (e) => this.dispatchEvent(e) };
  }

  /** The localizer, or null while the language's chunk loads (then re-rendered). */
  private localizer(): Localizer | null {
    return this.cachedLocalizer.localizerFor(this, this.strings, () => this.languageLoaded());
  }

  /** For texts that cannot wait for a language chunk (events, the tab title): English then. */
  private localizerNow(): Localizer {
    return this.localizer() ?? createLocalizer('en', this.strings);
  }

  private languageLoaded(): void {
    this.requestUpdate();
  }

  /** Also waits for a language or screen chunk in flight and the render that follows it. */
  protected override getUpdateComplete(): Promise<boolean> {
    return settleChunkLoads(
      () => super.getUpdateComplete(),
      () => [this.cachedLocalizer.lastLoad, rareScreensLoad()],
    );
  }

  private onSnapshot(next: QueueSnapshot, previous: QueueSnapshot | null): void {
    // A booking made in the revealed form keeps it shown: the site's confirmation is there. One
    // made in another tab leaves nothing to do in this page's form: the panel says so instead.
    const bookedHere = next.status === 'booked' && this.controller.bookingSentHere;
    if (next.status !== 'admitted' && !bookedHere) this.revealed = false;
    const handOff = emitSnapshotEvents(this.eventHost(), next, previous, this.localizerNow());
    if (handOff) void this.handOff(handOff.admission, handOff.expiresAt);
  }

  private handOff(admission: string, expiresAt: number | null): Promise<void> {
    const host = {
      ...this.eventHost(),
      element: this,
      admitUrl: () => this.admitUrl,
      reveal: () => {
        this.revealed = true;
        this.requestUpdate();
        return this.updateComplete;
      },
    };
    return handOffAdmission(host, admission, expiresAt);
  }

  private onAdmissionExpired(): void {
    this.live.text = this.localizerNow().t.admissionExpiredTitle;
    this.dispatchEvent(admissionExpiredEvent());
  }

  override render(): TemplateResult {
    const now = this.now();
    const snapshot = this.controller.snapshot;
    return renderGate(this.live.text, presentedSnapshot(snapshot, now), this.localizer(), {
      revealed: this.revealed,
      overlay: this.mode === 'overlay',
      now,
      reconnectingQuietly: isQuietReconnect(snapshot, now),
      progress: this.controller.progress,
      admissionExpired: this.controller.admissionExpired,
      offerNotifications: this.notify,
      signInUrl: this.signInUrl,
      retry: () => this.retry(),
      rejoin: () => this.rejoin(),
      reclaim: () => this.reclaim(),
      refresh: () => this.requestUpdate(),
      rareScreens: () => rareScreensOrLoad(() => this.requestUpdate()),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'queue-gate': QueueGateElement;
  }
}
