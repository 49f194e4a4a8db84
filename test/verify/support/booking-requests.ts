/** Requests a booking form or a fetch helper would send, for the adapters' HTTP tests. */
import { ADMISSION_FIELD } from '../../../src/protocol.js';

/** JSON error body of a refusal. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** POSTs with the admission in `Authorization: Bearer`. */
export function postBearer(url: string, token: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

/** POSTs a urlencoded booking form carrying the admission field. */
export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** POSTs a JSON body carrying the admission field. */
export function postJson(url: string, token: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ [ADMISSION_FIELD]: token, name: 'Ada' }),
  });
}

/** @returns the refusal's status and code, asserting the JSON shape of the body. */
export async function refusalOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as ErrorBody;
  if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') {
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  }
  return { status: response.status, code: body.error.code };
}

/** POSTs `chunks` KiB of JSON as a stream, without a Content-Length, as a chunked upload. */
export function postStreamed(url: string, chunks: number): Promise<Response> {
  const kib = new TextEncoder().encode('a'.repeat(1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 1;
      if (sent > chunks) controller.close();
      else controller.enqueue(kib);
    },
  });
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
}
