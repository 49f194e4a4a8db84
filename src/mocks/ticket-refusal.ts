/**
 * The tickets a request presents, and the simulator's way of having them refused: a forged
 * ticket is a real one with a changed byte (the real server then refuses it itself).
 */
import { errorResponse } from './mock-responses.js';

/** The refusals {@link QueueSimulator.rejectTickets} can provoke. */
export type TicketRefusal = 'token_expired' | 'token_bad_signature';

function bearerOf(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '');
  return match ? match[1] : undefined;
}

export const isJoin = (request: Request): boolean =>
  request.method.toUpperCase() === 'POST' && new URL(request.url).pathname.endsWith('/join');

export async function joinBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = JSON.parse(await request.clone().text());
    return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : null;
  } catch {
    // A body that is not JSON carries no ticket; the server answers it with 400.
    return null;
  }
}

/** The ticket a request presents (bearer, or a join body's `ticket`), if any. */
export async function presentedTicket(request: Request): Promise<string | undefined> {
  const bearer = bearerOf(request);
  if (bearer !== undefined || !isJoin(request)) return bearer;
  const ticket = (await joinBody(request))?.ticket;
  return typeof ticket === 'string' && ticket !== '' ? ticket : undefined;
}

/** The same token with one byte of its signature changed: a forgery the signer refuses. */
export function tamper(token: string): string {
  const dot = token.lastIndexOf('.');
  const first = token.charAt(dot + 1);
  return `${token.slice(0, dot + 1)}${first === 'A' ? 'B' : 'A'}${token.slice(dot + 2)}`;
}

/**
 * The request as it reaches the server under a refusal, or the refusal's own answer.
 *
 * - `token_bad_signature`: the presented ticket is tampered with, and the real server refuses it.
 * - `token_expired`: answered here. The real server refuses an expired ticket only once its
 *   place is gone (an expired ticket of a live place is renewed), which a simulation cannot
 *   reach on demand for a visitor still in line; the answer is the one the server gives then.
 */
export async function refuseTicket(
  request: Request,
  ticket: string,
  refusal: TicketRefusal,
): Promise<Request | Response> {
  if (refusal === 'token_expired') {
    return errorResponse(401, 'token_expired', 'The ticket expired and its place is gone.');
  }
  const forged = tamper(ticket);
  if (bearerOf(request) !== undefined) {
    const headers = new Headers(request.headers);
    headers.set('Authorization', `Bearer ${forged}`);
    return new Request(request, { headers });
  }
  const body = (await joinBody(request)) ?? {};
  const headers = new Headers(request.headers);
  headers.delete('Content-Length');
  return new Request(request.url, {
    method: request.method,
    headers,
    body: JSON.stringify({ ...body, ticket: forged }),
    signal: request.signal,
  });
}
