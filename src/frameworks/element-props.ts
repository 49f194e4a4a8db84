/**
 * The `<queue-gate>` surface that framework typings describe, derived from the element class and
 * its event classes so that a new property or event reaches React and Vue typings without a
 * second list to keep in step.
 */
import type { LitElement } from 'lit';
// Used in a type below, so the published declarations keep the import, and with it the events'
// `HTMLElementEventMap` entries: `queue-gate/react` or `queue-gate/vue` alone (the element from
// the script tag) then types the events too. An `import type {}` would be dropped from them.
import type * as elementEvents from '../element/events.js';
import type { QueueGateElement } from '../element/queue-gate-element.js';
import type { QueueGateColorScheme } from '../element/queue-gate-properties.js';

/** True when `A` and `B` are the same type (used to tell readonly members apart). */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Members the element adds to `LitElement`, minus methods and what is marked internal by name. */
type OwnMembers = Omit<
  QueueGateElement,
  keyof LitElement | 'engineFactory' | 'fetchImplementation' | 'now' | 'titleNudge'
>;

/** Keys of `T` that can be written (not readonly, not methods). */
type WritableDataKeys<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown
    ? never
    : Same<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }> extends true
      ? K
      : never;
}[keyof T];

/** The properties a template may set on `<queue-gate>` (`room`, `endpoint`, `cohort`, …). */
export type QueueGateProperties = Partial<Pick<OwnMembers, WritableDataKeys<OwnMembers>>>;

/** The attribute spellings of `admitUrl` and `colorScheme`, for markup-style templates. */
export interface QueueGateAttributes {
  'admit-url'?: string;
  'color-scheme'?: QueueGateColorScheme;
}

/** The element's event classes (`QueueGateAdmittedEvent`, …), each with its `eventName`. */
type QueueGateEventClass = Extract<
  (typeof elementEvents)[keyof typeof elementEvents],
  { eventName: string }
>;

/** The element's event names (`queue-gate-change`, `queue-gate-admitted`, …). */
export type QueueGateEventName = QueueGateEventClass['eventName'];

/** `queue-gate-admitted` → `QueueGateAdmitted`: how Vue spells a listener prop after `on`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${Pascal<Tail>}`
  : Capitalize<S>;

/** React 19 listener props: `onqueue-gate-admitted={(event) => …}` adds a listener for that event. */
export type QueueGateReactListeners = {
  [E in QueueGateEventName as `on${E}`]?: (event: HTMLElementEventMap[E]) => void;
};

/** Vue listener props: `@queue-gate-admitted="…"` compiles to `onQueueGateAdmitted`. */
export type QueueGateVueListeners = {
  [E in QueueGateEventName as `on${Pascal<E>}`]?: (event: HTMLElementEventMap[E]) => void;
};
