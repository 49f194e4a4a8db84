/**
 * The demo's record of what `<queue-gate>` emitted: every event with its type, the status it
 * reports, its details and the time, newest first. QA compares this with what the visitor saw.
 */
import {
  QueueGateAdmitEvent,
  QueueGateAdmittedEvent,
  QueueGateBookedEvent,
  QueueGateChangeEvent,
  QueueGateErrorEvent,
} from '../src/element/events.js';

/** One line of the log. */
export interface LogEntry {
  /** Event type, or `demo` for the page's own notes. */
  type: string;
  /** The status reported (or a short outcome), '' when none. */
  status: string;
  detail: string;
  /** Epoch ms. */
  at: number;
}

/** The element's event types, for `addEventListener`. */
export const GATE_EVENT_TYPES = [
  QueueGateChangeEvent.eventName,
  QueueGateAdmitEvent.eventName,
  QueueGateAdmittedEvent.eventName,
  QueueGateBookedEvent.eventName,
  QueueGateErrorEvent.eventName,
] as const;

const shorten = (token: string): string =>
  token.length > 16 ? `${token.slice(0, 8)}…${token.slice(-6)}` : token;

/**
 * Turns an element event into a log line; null for any other event.
 *
 * @param event - what the element dispatched
 * @param at - when (epoch ms)
 */
export function describeGateEvent(event: Event, at: number): LogEntry | null {
  if (event instanceof QueueGateChangeEvent) {
    const s = event.snapshot;
    const parts = [`from ${event.previousStatus}`];
    if (s.seq !== null) parts.push(`seq ${s.seq}`);
    if (s.position !== null) parts.push(`ahead ${s.position}`);
    if (s.problem) parts.push(`problem ${s.problem.code}`);
    if (s.rejection) parts.push(`rejected ${s.rejection.code}`);
    return { type: event.type, status: event.status, detail: parts.join(', '), at };
  }
  if (event instanceof QueueGateAdmitEvent) {
    const until = event.expiresAt === null ? 'unknown' : new Date(event.expiresAt).toISOString();
    return {
      type: event.type,
      status: 'admitted',
      detail: `admission ${shorten(event.admission)}, expires ${until}`,
      at,
    };
  }
  if (event instanceof QueueGateAdmittedEvent) {
    return {
      type: event.type,
      status: event.handOff,
      detail: `admission ${shorten(event.admission)}`,
      at,
    };
  }
  if (event instanceof QueueGateBookedEvent) {
    return { type: event.type, status: 'booked', detail: event.outcome, at };
  }
  if (event instanceof QueueGateErrorEvent) {
    return {
      type: event.type,
      status: event.problem.code,
      detail: event.problem.message,
      at,
    };
  }
  return null;
}

/** The rendered log. */
export interface EventLog {
  /** Records the element's events from `target` (and forgets those of the previous target). */
  attach(target: EventTarget): void;
  /** Adds a line of the page's own. */
  note(status: string, detail: string): void;
  clear(): void;
  /** The lines, newest first. */
  readonly entries: readonly LogEntry[];
}

/** Most lines kept: enough for a long session, few enough to keep the page light. */
const MAX_ENTRIES = 300;

function timeOf(at: number): string {
  const d = new Date(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function renderEntry(doc: Document, entry: LogEntry): HTMLLIElement {
  const item = doc.createElement('li');
  item.className = 'log-entry';
  item.dataset.type = entry.type;
  const time = doc.createElement('time');
  time.dateTime = new Date(entry.at).toISOString();
  time.textContent = timeOf(entry.at);
  const type = doc.createElement('span');
  type.className = 'log-type';
  type.textContent = entry.type;
  const status = doc.createElement('span');
  status.className = 'log-status';
  status.textContent = entry.status;
  const detail = doc.createElement('span');
  detail.className = 'log-detail';
  detail.textContent = entry.detail;
  item.append(time, ' ', type, ' ', status, ' ', detail);
  return item;
}

/**
 * Renders the log into `list` (an `<ol>`), newest first.
 *
 * @param list - the list element to fill
 * @param now - clock (epoch ms); injectable for tests
 * @example
 * ```ts
 * const log = createEventLog(document.querySelector('#log')!);
 * log.attach(document.querySelector('queue-gate')!);
 * ```
 */
export function createEventLog(list: HTMLElement, now: () => number = Date.now): EventLog {
  const entries: LogEntry[] = [];
  let detach: (() => void) | null = null;

  const add = (entry: LogEntry): void => {
    entries.unshift(entry);
    list.prepend(renderEntry(list.ownerDocument, entry));
    while (entries.length > MAX_ENTRIES) {
      entries.pop();
      list.lastElementChild?.remove();
    }
  };

  const listener = (event: Event): void => {
    const entry = describeGateEvent(event, now());
    if (entry) add(entry);
  };

  return {
    attach(target) {
      detach?.();
      for (const type of GATE_EVENT_TYPES) target.addEventListener(type, listener);
      detach = () => {
        for (const type of GATE_EVENT_TYPES) target.removeEventListener(type, listener);
      };
    },
    note(status, detail) {
      add({ type: 'demo', status, detail, at: now() });
    },
    clear() {
      entries.length = 0;
      list.replaceChildren();
    },
    entries,
  };
}
