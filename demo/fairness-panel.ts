/**
 * The operator panel's view of the public fairness record (`GET /rooms/:room/fairness`): the
 * server's own series of `serving` and `issued` as a chart, admissions per minute, the draw's
 * commitment, revealed seed and beacon round, how many signed snapshots it holds and, where the page has a
 * `#fairness-checks` list, which facts verify (`fairness-checks.ts`). No admin token needed: it
 * shows exactly what a journalist or a visitor sees.
 */
import type { FairnessRecord } from '../src/protocol.js';
import { PATHS } from '../src/protocol.js';
import { required } from './demo-mode.js';
import { checkFairnessRecord } from './fairness-checks.js';
import { drawLineChart } from './line-chart.js';

/** How often the record is read (the server caches it for 5 s). */
export const FAIRNESS_POLL_MS = 5000;

/** What {@link startFairnessPanel} needs. */
export interface FairnessPanelOptions {
  endpoint: string;
  room: string;
  format: (n: number) => string;
  /** Defaults to the page's `fetch`. */
  fetch?: typeof fetch;
}

/** Shortens a hex string for display; the full value is in the element's `title`. */
const short = (hex: string): string => `${hex.slice(0, 12)}…`;

/**
 * Renders `record` into the panel's fairness section.
 *
 * @example
 * ```ts
 * showFairnessRecord(panel, await (await fetch('/rooms/demo/fairness')).json(), String);
 * ```
 */
export function showFairnessRecord(
  root: ParentNode,
  record: FairnessRecord,
  format: (n: number) => string,
): void {
  drawLineChart(
    {
      svg: required<SVGSVGElement>(root, '#fairness-chart'),
      serving: required<SVGPathElement>(root, '#fairness-serving'),
      issued: required<SVGPathElement>(root, '#fairness-issued'),
      range: required<HTMLElement>(root, '#fairness-range'),
    },
    record.series,
    format,
  );
  const perMinute = record.admissionsPerMinute.slice(-5);
  required<HTMLElement>(root, '#fairness-per-minute').textContent =
    perMinute.length === 0 ? 'none yet' : perMinute.map((m) => format(m.count)).join(' · ');
  required<HTMLElement>(root, '#fairness-snapshots').textContent = format(record.snapshots.length);
  const commitment = required<HTMLElement>(root, '#fairness-commitment');
  const seed = required<HTMLElement>(root, '#fairness-seed');
  const draw = record.draw;
  commitment.textContent = draw ? short(draw.commitment) : 'no scheduled opening';
  commitment.title = draw?.commitment ?? '';
  seed.textContent = !draw
    ? '–'
    : draw.seed === null
      ? `secret until ${new Date(draw.opensAt).toLocaleTimeString()}`
      : `${short(draw.seed)} (${format(draw.entrants?.length ?? 0)} drawn)`;
  seed.title = draw?.seed ?? '';
  const beacon = root.querySelector<HTMLElement>('#fairness-beacon');
  if (beacon) {
    const bound = draw?.beacon ?? null;
    beacon.textContent = !bound
      ? 'none (the seed alone orders the draw)'
      : `round ${bound.round} of ${bound.id}: ${bound.value === null ? 'waiting for its value' : short(bound.value)}`;
    beacon.title = bound?.value ?? '';
  }
}

/**
 * Reads the record once and shows it, or says in the panel why it could not.
 *
 * @example
 * ```ts
 * await readFairnessRecord(panel, { endpoint: location.origin, room: 'demo', format: String });
 * ```
 */
export async function readFairnessRecord(
  root: ParentNode,
  options: FairnessPanelOptions,
): Promise<void> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const status = required<HTMLElement>(root, '#fairness-status');
  try {
    const response = await doFetch(`${options.endpoint}${PATHS.fairness(options.room)}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const record = (await response.json()) as FairnessRecord;
    showFairnessRecord(root, record, options.format);
    status.textContent = '';
    const checks = root.querySelector<HTMLElement>('#fairness-checks');
    if (checks) {
      await checkFairnessRecord(checks, record, options.room, async () => {
        const keys = await doFetch(`${options.endpoint}${record.jwks}`);
        if (!keys.ok) throw new Error(`HTTP ${keys.status}`);
        return keys.json();
      });
    }
  } catch (error) {
    status.textContent = `Fairness record unavailable (${(error as Error).message}).`;
  }
}

/**
 * Reads the record now and every {@link FAIRNESS_POLL_MS}; returns a function that stops.
 *
 * @example
 * ```ts
 * const stop = startFairnessPanel(panel, { endpoint: location.origin, room: 'demo', format: String });
 * ```
 */
export function startFairnessPanel(root: ParentNode, options: FairnessPanelOptions): () => void {
  const read = (): Promise<void> => readFairnessRecord(root, options);
  void read();
  const timer = setInterval(() => void read(), FAIRNESS_POLL_MS);
  return () => clearInterval(timer);
}
