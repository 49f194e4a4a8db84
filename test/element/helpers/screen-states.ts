/**
 * Every screen the element can show, as the snapshot that calls for it, with and without a
 * ticket; and how to read what a visitor sees and hears of it. Shared by the tests that check
 * what the screen says is true and that the live region says what the screen shows.
 */
import { fixture, html } from '@open-wc/testing';
import '../../../src/index.js';
import type { QueueSnapshot } from '../../../src/core/types.js';
import type { QueueGateElement } from '../../../src/index.js';
import type { FakeEngine } from '../fake-engine.js';
import { NOW, factoryFor } from '../fake-engine.js';

const MIN = 60_000;

/** A visitor with a ticket, 41 places from the front. */
export const withTicket: Partial<QueueSnapshot> = {
  seq: 141,
  serving: 100,
  issued: 300,
  position: 41,
  ratePerSec: 0.5,
  estimate: { minMs: 1.2 * MIN, maxMs: 2.5 * MIN },
  roomStatus: 'open',
  ticketExpiresAt: NOW + 24 * 60 * MIN,
  holdSeconds: 300,
  lastUpdatedAt: NOW - 4000,
};

/** Nobody has a ticket yet: the first join has not succeeded. */
export const withoutTicket: Partial<QueueSnapshot> = {
  seq: null,
  serving: null,
  position: null,
  ticketExpiresAt: null,
  holdSeconds: null,
  lastUpdatedAt: null,
};

/** One screen: its snapshot's own fields (laid over a ticket or its absence). */
export interface ScreenState {
  name: string;
  fields: Partial<QueueSnapshot>;
  /** Whether the screen exists with a ticket only, or without one only. */
  only?: 'ticket' | 'no-ticket';
}

export const SCREEN_STATES: ScreenState[] = [
  { name: 'joining', fields: { status: 'joining' } },
  { name: 'waiting', fields: { status: 'waiting' }, only: 'ticket' },
  {
    name: 'pre-open',
    fields: { status: 'waiting', seq: null, position: null, opensAt: NOW + 20 * MIN },
    only: 'ticket',
  },
  {
    name: 'connection lost',
    fields: {
      status: 'reconnecting',
      problem: { code: 'network', message: 'offline' },
      nextAttemptAt: NOW + 8000,
      failures: 4,
      failingSince: NOW - 20_000,
    },
  },
  {
    name: 'very busy',
    fields: {
      status: 'reconnecting',
      problem: { code: 'overloaded', message: 'busy', retryAt: NOW + 12_000 },
      nextAttemptAt: NOW + 12_500,
      failures: 1,
      failingSince: NOW,
    },
  },
  {
    name: 'connection lost when the turn came',
    fields: {
      status: 'reconnecting',
      serving: 141,
      position: 0,
      problem: { code: 'timeout', message: 'slow' },
      nextAttemptAt: NOW + 2000,
    },
    only: 'ticket',
  },
  { name: 'paused', fields: { status: 'paused', roomStatus: 'paused' } },
  { name: 'closed', fields: { status: 'closed', roomStatus: 'closed' } },
  {
    name: 'cohort not open',
    fields: {
      status: 'paused',
      cohortOpensAt: NOW + 2 * 60 * MIN,
      problem: { code: 'cohort_not_open', message: 'later', opensAt: NOW + 2 * 60 * MIN },
    },
    only: 'no-ticket',
  },
  {
    name: 'cohort window closed',
    fields: {
      status: 'closed',
      cohortOpensAt: null,
      problem: { code: 'cohort_not_open', message: 'over' },
    },
    only: 'no-ticket',
  },
  { name: 'admitting', fields: { status: 'admitting', serving: 141, position: 0 }, only: 'ticket' },
  {
    name: 'admitted',
    fields: {
      status: 'admitted',
      serving: 141,
      position: 0,
      admission: 'adm.token.sig',
      admissionExpiresAt: NOW + 5 * MIN,
    },
    only: 'ticket',
  },
  {
    name: 'rejected',
    fields: { status: 'rejected', rejection: { code: 'hold_expired', message: 'late' } },
    only: 'no-ticket',
  },
  {
    name: 'sign-in needed',
    fields: {
      status: 'sign-in-required',
      problem: { code: 'identity_required', message: 'sign in' },
    },
  },
  {
    name: 'sign-in refused',
    fields: {
      status: 'sign-in-required',
      problem: { code: 'token_expired', message: 'The identity expired.' },
    },
  },
  {
    name: 'booked',
    fields: { status: 'booked', booking: { outcome: 'booked', restored: true } },
    only: 'no-ticket',
  },
];

/** The snapshots of `state`: with a ticket, without, or both, as it exists. */
export function variantsOf(state: ScreenState): [string, Partial<QueueSnapshot>][] {
  const variants: [string, Partial<QueueSnapshot>][] = [];
  if (state.only !== 'no-ticket')
    variants.push(['with a ticket', { ...withTicket, ...state.fields }]);
  if (state.only !== 'ticket') {
    variants.push(['without a ticket', { ...withTicket, ...withoutTicket, ...state.fields }]);
  }
  return variants;
}

/** Mounts `<queue-gate>` in `lang` over `engine`, at {@link NOW}, in `mode`. */
export function mountGate(
  engine: FakeEngine,
  lang: string,
  mode = 'inline',
): Promise<QueueGateElement> {
  return fixture<QueueGateElement>(html`
    <queue-gate
      room="demo"
      endpoint="https://queue.test"
      lang=${lang}
      mode=${mode}
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    >
      <form>
        <label>Name <input name="name" /></label><button>Book</button>
      </form>
    </queue-gate>
  `);
}

/** Collapses whitespace (no-break spaces included) to single spaces. */
export const spaced = (text: string): string => text.replace(/\s+/gu, ' ').trim();

/**
 * The text a visitor can see in the element's shadow root: hidden text (the reserved
 * "Reconnecting…" line, the visually hidden live region) left out.
 */
export function visibleText(el: Element): string {
  const root = el.shadowRoot!;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('[role="status"].visually-hidden')) continue;
    if (parent.checkVisibility({ visibilityProperty: true })) parts.push(node.textContent ?? '');
  }
  return spaced(parts.join(' '));
}

/** What the live region says now. */
export const liveText = (el: Element): string =>
  spaced(el.shadowRoot!.querySelector('[role="status"]')?.textContent ?? '');
