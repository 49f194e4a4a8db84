/** Reads the `<queue-gate>` of a page through its public properties, as an integrator would. */
import type { Page } from 'playwright-core';
import { waitUntil } from './wait-until.js';

/** What a journey checks on the element. */
export interface GateView {
  /** The core's status (`waiting`, `reconnecting`, `admitted`, …). */
  status: string;
  /** The visitor's place. */
  seq: number | null;
  /** Places the line must move before this visitor's turn (`seq - serving`). */
  position: number | null;
  /** The admission token once admitted. */
  admission: string | null;
}

/** The public properties the journeys read (a subset of `QueueGateElement`). */
interface GateProperties {
  status: string;
  seq: number | null;
  position: number | null;
  admission: string | null;
}

/**
 * The element's status, seq, position and admission, or null before it is defined.
 *
 * @example
 * ```ts
 * const { seq } = (await readGate(page))!;
 * ```
 */
export async function readGate(page: Page): Promise<GateView | null> {
  return page.evaluate(() => {
    const gate = document.querySelector('queue-gate') as (Element & Partial<GateProperties>) | null;
    if (!gate || gate.status === undefined) return null;
    return {
      status: gate.status,
      seq: gate.seq ?? null,
      position: gate.position ?? null,
      admission: gate.admission ?? null,
    };
  });
}

/**
 * Waits (bounded) until the page's gate has `status`, and returns what it shows then.
 *
 * @example
 * ```ts
 * const gate = await waitForStatus(page, 'waiting');
 * ```
 */
export async function waitForStatus(
  page: Page,
  status: string,
  timeoutMs = 15_000,
): Promise<GateView> {
  let last: GateView | null = null;
  try {
    return await waitUntil(
      async () => {
        last = await readGate(page);
        return last?.status === status ? last : undefined;
      },
      { what: `status "${status}"`, timeoutMs },
    );
  } catch (error) {
    throw new Error(`${String(error)}; last seen: ${JSON.stringify(last)}`);
  }
}
