/** What `main.ts` hands to a mode (mock or live), and what a mode gives back. */
import type { DemoLang } from './demo-url.js';
import type { EventLog } from './event-log.js';

/** The page parts every mode uses. */
export interface ModeContext {
  doc: Document;
  /** Where the `<queue-gate>` goes. */
  stage: HTMLElement;
  /** One line under the stage's heading: what is on stage. */
  caption: HTMLElement;
  log: EventLog;
  lang: DemoLang;
}

/** A running mode. */
export interface DemoMode {
  /** Switches the waiting room's language in place (the visitor keeps the place). */
  setLang(lang: DemoLang): void;
}

/** `querySelector` that fails loudly: a missing control is a broken page, not a quiet no-op. */
export function required<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`demo: ${selector} is missing from the page`);
  return found;
}
