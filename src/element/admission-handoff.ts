/**
 * Carries an admission into the booking side: a hidden field in each form, focus on the first
 * field, or a redirect to the booking page.
 *
 * Why the redirect is a POST form and not a query parameter: the admission is a bearer token.
 * In a URL it would land in browser history, server and proxy logs, analytics and the
 * `Referer` of every resource the booking page loads. A POST body goes to the booking backend
 * only, in the same `queue_admission` field a revealed form would send, so the backend reads
 * the admission one way whichever hand-off the site uses.
 */
import { ADMISSION_FIELD } from '../protocol.js';

/** Every `<form>` among `elements` or inside them (slotted wrappers may hold the form). */
export function formsIn(elements: readonly Element[]): HTMLFormElement[] {
  const forms: HTMLFormElement[] = [];
  for (const element of elements) {
    if (element instanceof HTMLFormElement) forms.push(element);
    forms.push(...element.querySelectorAll('form'));
  }
  return forms;
}

/** Adds (or updates) `<input type="hidden" name="queue_admission">` in each form. */
export function fillAdmissionField(forms: Iterable<HTMLFormElement>, admission: string): void {
  for (const form of forms) {
    let input = form.querySelector<HTMLInputElement>(
      `input[type="hidden"][name="${ADMISSION_FIELD}"]`,
    );
    if (!input) {
      input = form.ownerDocument.createElement('input');
      input.type = 'hidden';
      input.name = ADMISSION_FIELD;
      form.append(input);
    }
    input.value = admission;
  }
}

const FOCUSABLE =
  'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** The first field a keyboard user would reach in `elements`, preferring form fields. */
export function firstFocusable(elements: readonly Element[]): HTMLElement | null {
  for (const form of formsIn(elements)) {
    const field = form.querySelector<HTMLElement>(FOCUSABLE);
    if (field) return field;
  }
  for (const element of elements) {
    if (element instanceof HTMLElement && element.matches(FOCUSABLE)) return element;
    const inner = element.querySelector<HTMLElement>(FOCUSABLE);
    if (inner) return inner;
  }
  return null;
}

/**
 * Sends the visitor to `url` with the admission in a POST body (field `queue_admission`).
 * Uses `requestSubmit()` so the page (and tests) see an ordinary, cancelable `submit` event.
 *
 * @returns the form that was submitted (kept in the document while the browser navigates)
 */
export function redirectWithAdmission(
  url: string,
  admission: string,
  doc: Document = document,
): HTMLFormElement {
  const form = doc.createElement('form');
  form.method = 'post';
  form.action = url;
  form.hidden = true;
  form.dataset.queueGateRedirect = '';
  fillAdmissionField([form], admission);
  doc.body.append(form);
  form.requestSubmit();
  return form;
}
