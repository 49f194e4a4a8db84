/** The simulator's room settings with their defaults, from {@link QueueSimulatorOptions}. */
import type { SimulatedRoom } from './simulated-server.js';
import type { QueueSimulatorOptions } from './simulator-types.js';

/** A room as the simulator runs it, with the admission lifetime the signer reads. */
export type Settings = SimulatedRoom & { admissionTtlSeconds: number };

/** @returns the room settings of `options`, every default filled in */
export function settingsFrom(options: QueueSimulatorOptions): Settings {
  return {
    room: options.room ?? 'demo',
    serving: Math.max(0, Math.floor(options.serving ?? 0)),
    issued: Math.max(0, Math.floor(options.issued ?? 0)),
    ratePerSec: Math.max(0, options.ratePerSec ?? 0),
    pollAfterMs: options.pollAfterMs ?? 2000,
    status: options.status ?? 'open',
    holdSeconds: options.holdSeconds ?? 600,
    ...(options.opensAt !== undefined ? { opensAt: options.opensAt } : {}),
    audience: options.audience ?? 'queue-gate-demo',
    ...(options.roomSettings !== undefined ? { roomSettings: options.roomSettings } : {}),
    admissionTtlSeconds: options.admissionTtlSeconds ?? 120,
  };
}

/** The default wait of `setLatency`: real time. */
export const realSleep = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));
