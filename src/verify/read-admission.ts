/**
 * Finds the admission a request carries: `Authorization: Bearer <admission>` (fetch helpers,
 * APIs), or the `queue_admission` field of a urlencoded or JSON body (plain booking forms).
 */
import { ADMISSION_FIELD, LIMITS } from '../protocol.js';
import { AdmissionError } from './errors.js';

/** @returns the token of an `Authorization: Bearer <token>` header value, or `null`. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization ?? '');
  return match ? match[1]! : null;
}

/** @returns whether a body of this content type may carry the admission field. */
export function isAdmissionBodyType(contentType: string | null | undefined): boolean {
  return bodyKind(contentType) !== undefined;
}

/**
 * Reads the admission field from a request body already read as text.
 *
 * @returns the field's value, or `null` when absent or when the content type carries no field
 * @throws {AdmissionError} `invalid_body` (400) when a JSON body does not parse
 */
export function admissionFromBody(
  contentType: string | null | undefined,
  body: string,
): { token: string | null; parsed: unknown } {
  const kind = bodyKind(contentType);
  if (kind === 'form') {
    const form = new URLSearchParams(body);
    return { token: form.get(ADMISSION_FIELD), parsed: Object.fromEntries(form) };
  }
  if (kind === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new AdmissionError('invalid_body');
    }
    return { token: fieldOf(parsed), parsed };
  }
  return { token: null, parsed: undefined };
}

/** @returns the admission field of an already parsed body (e.g. Express's `req.body`), or `null`. */
export function fieldOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)[ADMISSION_FIELD];
  return typeof value === 'string' ? value : null;
}

/**
 * Reads the admission of a Fetch API request: the bearer header first, then the
 * `queue_admission` field of a urlencoded or JSON body of at most `LIMITS.maxBodyBytes`.
 * The body is read from a clone, so the request's own body stays readable.
 *
 * @returns the token, or `null` when the request carries none
 * @throws {AdmissionError} `body_too_large` (413) or `invalid_body` (400)
 *
 * @example
 * ```ts
 * const token = await readAdmissionFromRequest(request);
 * const claims = await verifyAdmission(token, options);
 * ```
 */
export async function readAdmissionFromRequest(request: Request): Promise<string | null> {
  const fromHeader = bearerToken(request.headers.get('authorization'));
  if (fromHeader !== null) return fromHeader;
  const contentType = request.headers.get('content-type');
  if (request.body === null || request.bodyUsed || !isAdmissionBodyType(contentType)) return null;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > LIMITS.maxBodyBytes) throw new AdmissionError('body_too_large');
  const text = await readLimited(request.clone().body!, LIMITS.maxBodyBytes);
  return admissionFromBody(contentType, text).token;
}

async function readLimited(stream: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: cancelling one branch of a cloned body settles only once the other
      // branch is cancelled too, which is up to whoever owns the request.
      reader.cancel().catch(() => undefined);
      throw new AdmissionError('body_too_large');
    }
    chunks.push(value);
  }
  return decodeUtf8(chunks, total);
}

/** @returns the UTF-8 text of `chunks`; invalid bytes make the body unreadable (400). */
export function decodeUtf8(chunks: readonly Uint8Array[], total: number): string {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AdmissionError('invalid_body');
  }
}

function bodyKind(contentType: string | null | undefined): 'form' | 'json' | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  return undefined;
}
