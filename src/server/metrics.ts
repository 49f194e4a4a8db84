/**
 * The Prometheus text exposition of `/metrics`: per-room gauges read from the store at scrape
 * time, and counters kept in the store (so several processes sum up in one place).
 */
import type { CounterSample } from './store/queue-store.js';

/** Live figures of one room, as gauges. */
export interface RoomGauges {
  room: string;
  waiting: number;
  serving: number;
  issued: number;
  active: number;
  pending: number;
  ratePerSec: number;
  open: boolean;
}

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labels = (pairs: Record<string, string | undefined>): string => {
  const parts = Object.entries(pairs)
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
};

const GAUGES: Array<[keyof RoomGauges, string, string]> = [
  ['waiting', 'queue_gate_waiting', 'Visitors holding a place behind serving.'],
  ['serving', 'queue_gate_serving', 'Highest seq allowed to claim admission.'],
  ['issued', 'queue_gate_issued', 'Highest seq handed out.'],
  ['active', 'queue_gate_active_admissions', 'Admissions claimed, unexpired and not consumed.'],
  [
    'pending',
    'queue_gate_pending_turns',
    'Turns passed within the claim grace and not claimed yet.',
  ],
  [
    'ratePerSec',
    'queue_gate_rate_per_second',
    'Places per second serving moved over the last minute.',
  ],
];

const COUNTERS: Array<[CounterSample['name'], string, string]> = [
  ['joins', 'queue_gate_joins_total', 'Places handed out.'],
  ['admissions', 'queue_gate_admissions_total', 'Admissions claimed.'],
  ['rejections', 'queue_gate_rejections_total', 'Requests refused, by error code.'],
  ['errors', 'queue_gate_errors_total', 'Server errors.'],
];

/**
 * Renders the metrics as Prometheus text (version 0.0.4).
 *
 * @example
 * ```ts
 * return c.text(renderMetrics(gauges, await store.readCounters()));
 * ```
 */
export function renderMetrics(
  rooms: readonly RoomGauges[],
  counters: readonly CounterSample[],
): string {
  const lines: string[] = [];
  for (const [field, name, help] of GAUGES) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const room of rooms)
      lines.push(`${name}${labels({ room: room.room })} ${room[field] as number}`);
  }
  lines.push('# HELP queue_gate_room_open Whether the room is open (1) or paused/closed (0).');
  lines.push('# TYPE queue_gate_room_open gauge');
  for (const room of rooms)
    lines.push(`queue_gate_room_open${labels({ room: room.room })} ${room.open ? 1 : 0}`);
  for (const [counter, name, help] of COUNTERS) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const sample of counters.filter((entry) => entry.name === counter)) {
      lines.push(`${name}${labels({ room: sample.room, code: sample.code })} ${sample.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
