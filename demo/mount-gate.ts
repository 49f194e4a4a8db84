/**
 * Puts a fresh `<queue-gate>` on the stage, with a small booking form in its default slot (the
 * form stays hidden until admission, as on a real site). A fresh element, not a reconfigured
 * one, so every restart begins exactly as a new visitor's page would.
 */
import type { EngineFactory } from '../src/element/default-engine.js';
import type { QueueGateElement } from '../src/element/queue-gate-element.js';
import type { DemoLang } from './demo-url.js';

/** Options of {@link mountGate}. */
export interface MountGateOptions {
  room: string;
  endpoint: string;
  lang: DemoLang;
  /** Injected engine (the mock fallback when no service worker can run). */
  engineFactory?: EngineFactory;
  /** Called instead of sending the booking form. */
  onBook: (gate: QueueGateElement, fields: URLSearchParams) => void;
}

const LABELS: Record<DemoLang, { name: string; book: string }> = {
  en: { name: 'Name', book: 'Book' },
  ko: { name: '이름', book: '예약' },
};

/**
 * Replaces whatever `<queue-gate>` is in `host` with a new one.
 *
 * @param host - the stage element
 * @param options - room, endpoint, language and the booking hook
 * @returns the new element (already connected, so it starts joining at once)
 */
export function mountGate(host: HTMLElement, options: MountGateOptions): QueueGateElement {
  const doc = host.ownerDocument;
  const gate = doc.createElement('queue-gate');
  gate.id = 'gate';
  gate.lang = options.lang;
  gate.setAttribute('room', options.room);
  gate.setAttribute('endpoint', options.endpoint);
  if (options.engineFactory) gate.engineFactory = options.engineFactory;

  const form = doc.createElement('form');
  form.className = 'booking-form';
  const label = doc.createElement('label');
  label.htmlFor = 'booking-name';
  label.textContent = LABELS[options.lang].name;
  const input = doc.createElement('input');
  input.id = 'booking-name';
  input.name = 'name';
  input.autocomplete = 'name';
  input.required = true;
  input.maxLength = 100;
  const button = doc.createElement('button');
  button.type = 'submit';
  button.textContent = LABELS[options.lang].book;
  form.append(label, input, button);
  form.addEventListener('submit', (event) => {
    // The demo books through `gate.fetch` (or not at all, in mock mode), so the page stays put
    // and the outcome lands in the event log.
    event.preventDefault();
    const fields = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string') fields.append(key, value);
    }
    options.onBook(gate, fields);
  });
  gate.append(form);
  host.replaceChildren(gate);
  return gate;
}

/**
 * Switches a mounted gate's language without restarting it (the element re-renders on `lang`).
 */
export function setGateLanguage(gate: QueueGateElement, lang: DemoLang): void {
  gate.lang = lang;
  const label = gate.querySelector('label');
  const button = gate.querySelector('button');
  if (label) label.textContent = LABELS[lang].name;
  if (button) button.textContent = LABELS[lang].book;
}
