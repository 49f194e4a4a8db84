/**
 * The failures a real crowd meets between a browser and a queue server, as the simulator
 * injects them. Each one looks to the client exactly as the real thing would: a rejected fetch,
 * a request that never ends, a broken body, a captive portal's HTML.
 */
import type { ErrorCode } from '../protocol.js';
import { defaultCodeFor, errorResponse } from './mock-responses.js';

/** A failure to inject instead of (or, for `truncated`, on top of) the protocol's answer. */
export type Fault =
  /** An HTTP error with the protocol's error body; `code` defaults from the status. */
  | { kind: 'status'; status: number; code?: ErrorCode; retryAfterSeconds?: number }
  /** The request rejects like a dropped connection (`TypeError`; MSW `HttpResponse.error()`). */
  | { kind: 'network' }
  /** No answer ever; only the caller's `AbortSignal` ends the request. */
  | { kind: 'hang' }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { kind: 'invalid-json' }
  /** The real answer (side effects included) with its body cut in half. */
  | { kind: 'truncated' }
  /** 200 with an HTML page (a captive portal or a proxy's error page). */
  | { kind: 'wrong-content-type' };

/** What `setFailureRate` injects when no fault is given: a proxy's 502. */
export const DEFAULT_FAILURE: Fault = { kind: 'status', status: 502 };

/** @returns the error a browser's fetch rejects with when the connection fails */
export function networkError(): TypeError {
  return new TypeError('Failed to fetch (simulated network failure)');
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Waits for `promise`, or rejects with the signal's reason (as fetch does) when `signal` aborts
 * first, so that simulated latency and hangs stay cancellable by the client's timeouts.
 *
 * @param promise - the work to wait for
 * @param signal - the request's signal
 * @returns the promise's value
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Produces the client-visible outcome of `fault`.
 *
 * @param fault - what goes wrong
 * @param request - the request it happens to (its signal ends a hang)
 * @param realAnswer - runs the protocol; only `truncated` calls it, because only there did the
 *   server do the work before the answer was lost
 * @returns the faulty response; rejects with a `TypeError` for `network`; never settles for
 *   `hang` until the request aborts
 */
export async function faultResponse(
  fault: Fault,
  request: Request,
  realAnswer: () => Promise<Response>,
): Promise<Response> {
  switch (fault.kind) {
    case 'network':
      throw networkError();
    case 'hang':
      return untilAborted(new Promise<Response>(() => {}), request.signal);
    case 'status': {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(fault.retryAfterSeconds);
      }
      return errorResponse(
        fault.status,
        fault.code ?? defaultCodeFor(fault.status),
        `Simulated HTTP ${fault.status}.`,
        headers,
      );
    }
    case 'invalid-json':
      return new Response('{"serving": 12, "status": "op', {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    case 'wrong-content-type':
      return new Response('<!doctype html><title>Wi-Fi login</title><p>Please sign in.</p>', {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      });
    case 'truncated': {
      const real = await realAnswer();
      const text = await real.text();
      return new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
        status: real.status,
        headers: real.headers,
      });
    }
  }
}
