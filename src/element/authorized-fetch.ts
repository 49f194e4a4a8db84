/**
 * `gate.fetch(input, init)`: a fetch that carries the admission as a bearer token, for
 * single-page apps that book through an API instead of a form.
 */

/** A fetch-compatible function. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * The page's fetch, looked up at call time so a fetch patched later (e.g. by a service-worker
 * mock or an APM agent) is still used.
 */
export const pageFetch: FetchLike = (input, init) =>
  // eslint-disable-next-line no-restricted-globals -- the one place the element reaches the network: the SPA asked for it through gate.fetch, the queue itself is spoken only by the core
  fetch(input, init);

/**
 * Sends `input`/`init` with `Authorization: Bearer <admission>` through `fetchImpl`.
 * Rejects without sending when there is no admission yet: an unauthorized booking request would
 * only fail at the backend, later and less clearly.
 */
export async function authorizedFetch(
  admission: string | null,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  fetchImpl: FetchLike = pageFetch,
): Promise<Response> {
  if (!admission) throw new Error('queue-gate: no admission yet; wait for queue-gate-admitted');
  const request = new Request(input, init);
  request.headers.set('Authorization', `Bearer ${admission}`);
  return fetchImpl(request);
}
