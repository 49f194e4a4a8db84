/**
 * How requests reach the simulated server: the client's base path taken off, admissions noted
 * for `book`, and a line asked to be ahead of the crowd (`serving` beyond `issued`) catching up
 * with each new arrival.
 */
import { decodeJwt } from 'jose';
import type { AdmissionClaims } from '../protocol.js';
import type { SimulatedServer } from './simulated-server.js';
import { isJoin, joinBody } from './ticket-refusal.js';

/** Resolves a relative URL the way a page would, with a fixed origin where there is no page. */
export function absolute(input: string | URL): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return new URL(String(input), base ?? 'http://queue-gate.mock').href;
}

/** The protocol's paths start after the client's base path (e.g. `/queue/rooms/demo/join`). */
const SERVER_PATH = /\/(rooms\/[^/]+\/[^/]+|\.well-known\/jwks\.json|healthz)$/;

/** The request with the client's base path taken off, as the server's routes expect it. */
export function atServerPath(request: Request): Request {
  const url = new URL(request.url);
  const match = SERVER_PATH.exec(url.pathname);
  if (!match || match.index === 0) return request;
  url.pathname = url.pathname.slice(match.index);
  return new Request(url, request);
}

/**
 * Reads the request's body once and returns a maker of independent copies of the request.
 *
 * Not `request.clone()`: a clone shares the body through a tee, and when the server refuses a
 * body over its limit it cancels its branch, which settles only once the other branch is read
 * or cancelled too, so a clone kept for later and never read leaves the answer hanging.
 */
export async function replayable(request: Request): Promise<() => Request> {
  const body = request.body === null ? null : await request.arrayBuffer();
  return () =>
    new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
    });
}

/** The admission of a successful admit answer (token and claims), for `book`; else null. */
export async function admissionOf(
  request: Request,
  response: Response,
): Promise<[string, AdmissionClaims] | null> {
  if (response.status !== 200 || !new URL(request.url).pathname.endsWith('/admit')) return null;
  try {
    const { admission } = (await response.clone().json()) as { admission?: unknown };
    if (typeof admission !== 'string') return null;
    return [admission, decodeJwt(admission) as unknown as AdmissionClaims];
  } catch {
    // Not an admission answer after all: nothing to remember.
    return null;
  }
}

/**
 * The answer to a join when the line was asked to stand at `aheadTo`, beyond the places handed
 * out (`serving` above `issued`, or `advance` past the end of the line): the line moves up to
 * the new place as soon as it exists, as an operator advancing the room would, and the visitor
 * gets the server's answer for their ticket after that move (the same place, now served).
 *
 * @param server - the running server
 * @param join - an unread copy of the join request as the server received it (not a clone of
 *   the one it read: see {@link replayable})
 * @param response - the server's answer to it
 * @param aheadTo - where the line was asked to stand
 */
export async function joinAhead(
  server: SimulatedServer,
  join: Request,
  response: Response,
  aheadTo: number,
): Promise<Response> {
  if (response.status !== 200 || !isJoin(join)) return response;
  let answer: { seq?: unknown; position?: unknown; ticket?: unknown };
  try {
    answer = (await response.clone().json()) as typeof answer;
  } catch {
    return response;
  }
  const { seq, position, ticket } = answer;
  if (typeof seq !== 'number' || typeof ticket !== 'string' || seq > aheadTo) return response;
  if (typeof position !== 'number' || position <= 0) return response;
  await server.run((parts) => parts.store.advanceServing(parts.room, aheadTo, parts.now()));
  const headers = new Headers(join.headers);
  headers.delete('Content-Length');
  const again = new Request(join.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...((await joinBody(join)) ?? {}), ticket }),
    signal: join.signal,
  });
  return server.fetch(atServerPath(again));
}
