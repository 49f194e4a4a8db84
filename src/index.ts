/**
 * `import 'queue-gate'`: defines `<queue-gate>` and exports its class, events and types.
 *
 * @example
 * ```ts
 * import { QueueGate, type QueueGateAdmittedEvent } from 'queue-gate';
 * const gate = document.querySelector('queue-gate')!;
 * gate.addEventListener('queue-gate-admitted', (e: QueueGateAdmittedEvent) => console.log(e.admission));
 * ```
 *
 * @packageDocumentation
 */
import { QueueGateElement } from './element/queue-gate-element.js';

QueueGateElement.define();

export * from './element/index.js';
/** The element class under its short name. */
export { QueueGateElement as QueueGate } from './element/queue-gate-element.js';
export type * from './core/types.js';
export { ADMISSION_FIELD, type ErrorCode, type RoomStatus } from './protocol.js';
