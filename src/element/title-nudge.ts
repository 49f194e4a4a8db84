/**
 * Tells a visitor in another tab that their turn came: the page title and the favicon change
 * (both visible in the tab strip), and, only if the site opted in with `notify`, a system
 * notification and a short tone. Everything is undone when the tab is shown again.
 *
 * Why title and favicon by default: they need no permission and cannot annoy anyone who is
 * looking at the page; notifications and sound can, so they are opt-in.
 */

/** What `TitleNudge` needs from the page; injectable so tests control visibility. */
export interface TitleNudgeOptions {
  document?: Document;
  /** Whether the page is in a background tab. */
  isHidden?: () => boolean;
  /** Shows a system notification (only called when permission is granted). */
  showNotification?: (title: string, body: string) => void;
  /** Plays a short tone. */
  playSound?: () => void;
}

const BADGE_ICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="14" fill="#d93025"/><text x="16" y="22" font-size="18" text-anchor="middle" fill="#fff" font-family="sans-serif">!</text></svg>',
  );

function defaultNotification(title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  new Notification(title, { body, tag: 'queue-gate-turn' });
}

function defaultSound(): void {
  const AudioContextClass = globalThis.AudioContext;
  if (!AudioContextClass) return;
  const context = new AudioContextClass();
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  gain.gain.value = 0.1;
  oscillator.frequency.value = 880;
  oscillator.connect(gain).connect(context.destination);
  oscillator.start();
  oscillator.stop(context.currentTime + 0.25);
  oscillator.onended = () => void context.close();
}

/** Nudges a background tab when the turn arrives, and restores the page when it is seen. */
export class TitleNudge {
  private readonly doc: Document;
  private readonly isHidden: () => boolean;
  private readonly showNotification: (title: string, body: string) => void;
  private readonly playSound: () => void;
  private savedTitle: string | null = null;
  private savedIcon: { link: HTMLLinkElement; href: string | null; added: boolean } | null = null;
  private readonly onVisibility = () => {
    if (!this.isHidden()) this.restore();
  };

  constructor(options: TitleNudgeOptions = {}) {
    this.doc = options.document ?? document;
    this.isHidden = options.isHidden ?? (() => this.doc.hidden);
    this.showNotification = options.showNotification ?? defaultNotification;
    this.playSound = options.playSound ?? defaultSound;
  }

  /** Whether the title and favicon are currently changed. */
  get active(): boolean {
    return this.savedTitle !== null;
  }

  /**
   * Called when the turn arrives. Does nothing while the page is visible.
   *
   * @param message - the short sentence for the title and notification
   * @param body - the notification's body
   * @param notify - whether the site opted in to a notification and a tone
   */
  turnArrived(message: string, body: string, notify: boolean): void {
    if (!this.isHidden() || this.active) return;
    this.savedTitle = this.doc.title;
    this.doc.title = `(!) ${message} ${this.savedTitle}`.trim();
    this.swapIcon();
    this.doc.addEventListener('visibilitychange', this.onVisibility);
    if (notify) {
      this.showNotification(message, body);
      this.playSound();
    }
  }

  /** Puts the title and favicon back. */
  restore(): void {
    this.doc.removeEventListener('visibilitychange', this.onVisibility);
    if (this.savedTitle !== null) this.doc.title = this.savedTitle;
    this.savedTitle = null;
    if (this.savedIcon) {
      const { link, href, added } = this.savedIcon;
      if (added) link.remove();
      else if (href !== null) link.setAttribute('href', href);
      else link.removeAttribute('href');
      this.savedIcon = null;
    }
  }

  private swapIcon(): void {
    let link = this.doc.querySelector<HTMLLinkElement>('link[rel~="icon"]');
    const added = !link;
    if (!link) {
      link = this.doc.createElement('link');
      link.rel = 'icon';
      this.doc.head.append(link);
    }
    this.savedIcon = { link, href: added ? null : link.getAttribute('href'), added };
    link.href = BADGE_ICON;
  }
}
