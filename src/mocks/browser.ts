/**
 * Starts the simulator inside a real MSW service worker, so the page's own `fetch` (and the
 * browser's devtools) see the simulated queue exactly as they would see a real server.
 *
 * `msw/browser` is imported lazily: this module is re-exported from `queue-gate/mocks`, and a
 * static import would make that entry fail to load in Node, where users run the simulator and
 * `createHandlers` with `msw/node`.
 */
import type { SetupWorker } from 'msw/browser';
import { createHandlers } from './handlers.js';
import type { QueueSimulator } from './queue-simulator.js';

/** Options of {@link startMockWorker}. */
export interface StartMockWorkerOptions {
  /** The queue endpoint the client talks to; see `createHandlers`. Default `'*'`. */
  baseUrl?: string;
  /** Silences MSW's console logging of each mocked request. */
  quiet?: boolean;
  /** Where the worker script is served; default `'/mockServiceWorker.js'`. */
  serviceWorkerUrl?: string;
}

/**
 * Registers MSW's service worker with handlers for `simulator` and waits until it intercepts.
 * Requests the handlers do not match go to the network untouched.
 *
 * @param simulator - the simulator that answers
 * @param options - endpoint and logging
 * @returns the started worker; call `worker.stop()` when done
 * @example
 * ```ts
 * const sim = SCENARIOS.surge.create();
 * const worker = await startMockWorker(sim, { baseUrl: 'https://queue.example.com', quiet: true });
 * // ... <queue-gate endpoint="https://queue.example.com" room="demo"> now talks to `sim`
 * worker.stop();
 * ```
 */
export async function startMockWorker(
  simulator: QueueSimulator,
  options: StartMockWorkerOptions = {},
): Promise<SetupWorker> {
  const { setupWorker } = await import('msw/browser');
  const handlerOptions = options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl };
  const worker = setupWorker(...createHandlers(simulator, handlerOptions));
  await worker.start({
    serviceWorker: { url: options.serviceWorkerUrl ?? '/mockServiceWorker.js' },
    quiet: options.quiet ?? false,
    onUnhandledRequest: 'bypass',
  });
  return worker;
}
