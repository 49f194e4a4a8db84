/**
 * The hand-off once an admission arrives: `queue-gate-admit` (cancelable), then either a POST
 * to `admit-url` or the slotted form revealed with focus on the deadline notice above it (on
 * its first field when there is none), then `queue-gate-admitted`.
 */
import {
  fillAdmissionField,
  firstFocusable,
  formsIn,
  redirectWithAdmission,
} from './admission-handoff.js';
import { QueueGateAdmitEvent, QueueGateAdmittedEvent } from './events.js';

/** The element as the hand-off sees it. */
export interface HandOffHost {
  /** The `admit-url` at the time of the hand-off (an `admit` listener may change it). */
  admitUrl(): string;
  /** The `<queue-gate>` element itself. */
  readonly element: Element;
  /** Dispatches an event; false when it was canceled. */
  emit(event: Event): boolean;
  /** Shows the slotted content; resolves once it is rendered. */
  reveal(): Promise<unknown>;
}

/** The element's children in the default slot. */
export function defaultSlottedOf(element: Element): Element[] {
  return [...element.children].filter((child) => !child.hasAttribute('slot'));
}

/**
 * Hands `admission` to the booking side.
 *
 * @example
 * ```ts
 * await handOffAdmission(host, snapshot.admission, snapshot.admissionExpiresAt);
 * ```
 */
export async function handOffAdmission(
  host: HandOffHost,
  admission: string,
  expiresAt: number | null,
): Promise<void> {
  if (!host.emit(new QueueGateAdmitEvent(admission, expiresAt))) return;
  const slotted = defaultSlottedOf(host.element);
  fillAdmissionField(formsIn(slotted), admission);
  const admitUrl = host.admitUrl();
  if (admitUrl) {
    redirectWithAdmission(admitUrl, admission, host.element.ownerDocument);
    host.emit(new QueueGateAdmittedEvent(admission, 'redirect'));
    return;
  }
  await host.reveal();
  // The deadline above the form comes first: focus on the first field would skip it (a screen
  // reader reads from the focus on). Without it (overlay mode), the first field.
  const notice = host.element.shadowRoot?.querySelector<HTMLElement>('[part~="admitted-notice"]');
  (notice ?? firstFocusable(slotted))?.focus();
  host.emit(new QueueGateAdmittedEvent(admission, 'reveal'));
}

/**
 * Calls `sent` whenever a form inside `element` is submitted.
 *
 * @example
 * ```ts
 * onFormSent(element, () => markAdmissionUsed());
 * ```
 */
export function onFormSent(element: Element, sent: () => void): void {
  element.addEventListener('submit', (event) => {
    if (event.target instanceof HTMLFormElement) sent();
  });
}
