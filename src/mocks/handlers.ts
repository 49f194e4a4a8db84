/**
 * MSW request handlers that answer the queue protocol from a {@link QueueSimulator}. The
 * simulator does all the work (the real server, faults, latency); these only translate a simulated
 * network failure into MSW's `HttpResponse.error()`.
 */
import { HttpResponse, http, type HttpHandler } from 'msw';
import type { QueueSimulator } from './queue-simulator.js';

/** Options of {@link createHandlers}. */
export interface CreateHandlersOptions {
  /**
   * The queue endpoint the client talks to, e.g. `'https://queue.example.com'` or `'/queue'`.
   * Default `'*'`: any origin and base path whose path ends in `/rooms/:room/(join|state|admit)`.
   */
  baseUrl?: string;
}

/**
 * Builds MSW 2.x handlers for the join, state, admit, fairness and JWKS endpoints under `baseUrl`.
 *
 * Every method is routed to the simulator (`http.all`), so a wrong method gets the protocol's
 * 405 answer rather than falling through to the real network.
 *
 * @param simulator - the simulator that answers
 * @param options - where the endpoints live
 * @returns handlers for `setupWorker(...)` or `setupServer(...)`
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * const sim = createQueueSimulator({ issued: 100 });
 * const server = setupServer(...createHandlers(sim, { baseUrl: 'https://queue.example.com' }));
 * server.listen();
 * ```
 */
export function createHandlers(
  simulator: QueueSimulator,
  options: CreateHandlersOptions = {},
): HttpHandler[] {
  const base = (options.baseUrl ?? '*').replace(/\/+$/, '');
  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    try {
      return await simulator.dispatch(request);
    } catch (error) {
      // The simulator rejects with a TypeError exactly where a real fetch would (offline,
      // dropped connection); MSW's way to produce that in the page is a network error response.
      if (error instanceof TypeError) return HttpResponse.error();
      throw error;
    }
  };
  return [
    http.all(`${base}/rooms/:room/join`, resolver),
    http.all(`${base}/rooms/:room/state`, resolver),
    http.all(`${base}/rooms/:room/admit`, resolver),
    http.all(`${base}/rooms/:room/fairness`, resolver),
    http.all(`${base}/.well-known/jwks.json`, resolver),
  ];
}
