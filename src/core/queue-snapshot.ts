/**
 * What the engine shows and keeps of the machine's state: the snapshot a UI renders and the
 * record the ticket store saves. One place maps the state to each.
 */
import { linePosition } from './machine-shared.js';
import type { MachineState } from './machine-state.js';
import { estimateWait } from './position-estimate.js';
import type { TicketRecord } from './ticket-store.js';
import type { QueueSnapshot, TicketPersistence } from './types.js';

/** The machine's fields a snapshot shows as they are. */
const SHOWN = [
  'status',
  'seq',
  'serving',
  'issued',
  'ratePerSec',
  'roomStatus',
  'ticketExpiresAt',
  'holdSeconds',
  'admission',
  'admissionExpiresAt',
  'lastUpdatedAt',
  'nextAttemptAt',
  'problem',
  'rejection',
  'opensAt',
  'cohortOpensAt',
  'booking',
] as const satisfies readonly (keyof MachineState & keyof QueueSnapshot)[];

/** What a snapshot knows beyond the machine's state. */
export interface SnapshotContext {
  room: string;
  endpoint: string;
  isLeader: boolean;
  /** Places ahead as shown (see {@link shownPosition}). */
  position: number | null;
  /** Where the ticket is kept; `storage` unless the ticket store fell back to memory. */
  persistence?: TicketPersistence;
}

/**
 * Places ahead to show at `at`: none left while claiming or admitted, none at all once booked,
 * else the line's estimate (null while the place or the line is unknown).
 */
export function shownPosition(state: MachineState, at: number): number | null {
  if (state.status === 'admitting' || state.status === 'admitted') return 0;
  if (state.status === 'booked') return null;
  return linePosition(state, at);
}

/** The snapshot of `state`. */
export function snapshotOf(state: MachineState, context: SnapshotContext): QueueSnapshot {
  const shown = Object.fromEntries(SHOWN.map((key) => [key, state[key]])) as Pick<
    MachineState,
    (typeof SHOWN)[number]
  >;
  return {
    ...shown,
    ...context,
    failures: state.failures,
    failingSince: state.failures > 0 ? state.failingSince : null,
    persistence: context.persistence ?? 'storage',
    estimate: estimateWait(context.position, state.ratePerSec),
  };
}

/**
 * What the ticket store keeps of `state`, or null while there is nothing worth keeping: a
 * ticket with a place (or a pre-open one, kept as seq 0: a reload keeps it, and its join answer
 * tells the place), and the admission while there is one.
 */
export function ticketRecordOf(state: MachineState): TicketRecord | null {
  if (!state.ticket || (state.seq === null && state.opensAt === null)) return null;
  if (state.ticketExpiresAt === null) return null;
  return {
    ticket: state.ticket,
    seq: state.seq ?? 0,
    ticketExpiresAt: state.ticketExpiresAt,
    ...(state.admission && state.admissionExpiresAt !== null
      ? { admission: state.admission, admissionExpiresAt: state.admissionExpiresAt }
      : {}),
  };
}
