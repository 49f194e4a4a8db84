/**
 * Express / Connect / plain `node:http` middleware that lets a request through only with a
 * valid, unused admission.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS } from '../../protocol.js';
import type { AdmissionClaims } from '../../protocol.js';
import { AdmissionError } from '../errors.js';
import {
  admissionFromBody,
  bearerToken,
  decodeUtf8,
  fieldOf,
  isAdmissionBodyType,
} from '../read-admission.js';
import { createMemorySingleUseStore } from '../single-use.js';
import { admissionCors, nodeCors } from './cors.js';
import { guardAdmission } from './guard-admission.js';
import type { AdmissionMiddlewareOptions } from './guard-admission.js';

export type { AdmissionMiddlewareOptions };

/**
 * A Node request as the middleware sees it: `body` when a body parser ran before it, and
 * `queueAdmission` once the admission is accepted.
 */
export interface AdmissionRequest extends IncomingMessage {
  body?: unknown;
  queueAdmission?: AdmissionClaims;
}

declare global {
  // Express's own `Request` gains the claims too, so `req.queueAdmission` type-checks in an
  // Express handler. (A project without Express's types only gets an unused interface.)
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its requests in this global namespace
  namespace Express {
    interface Request {
      /** The accepted admission's claims, set by `requireAdmission` before the handler runs. */
      queueAdmission?: AdmissionClaims;
    }
  }
}

/** Node / Express middleware; calls `next()` on success and `next(error)` on a failure that is not a refusal. */
export type AdmissionMiddleware = (
  req: AdmissionRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Makes middleware that requires an admission on every request it guards. It reads the
 * admission from `Authorization: Bearer`, or from the `queue_admission` field of a urlencoded
 * or JSON body (reading the body itself, up to `LIMITS.maxBodyBytes`, unless a body parser
 * already did), verifies it, consumes it once, and sets `req.queueAdmission`. Otherwise it
 * answers `{ error: { code, message } }` with 401 (no valid admission), 409 (already used),
 * 400/413 (unreadable body) or 503 (keys unavailable).
 *
 * When it reads the body itself, it leaves the parsed body in `req.body` (and sets `req._body`,
 * as body-parser does) because the stream cannot be read twice.
 *
 * @example
 * ```ts
 * app.post(
 *   '/book',
 *   requireAdmission({ jwksUrl, issuer, audience: 'https://tickets.example.com', room: 'launch' }),
 *   (req, res) => res.json({ booked: req.queueAdmission!.sub }),
 * );
 * ```
 */
export function requireAdmission(
  options: AdmissionMiddlewareOptions<AdmissionRequest>,
): AdmissionMiddleware {
  const store = options.store ?? createMemorySingleUseStore({ now: options.now });
  const cors = options.cors ? admissionCors(options.cors) : null;
  return function requireAdmission(req, res, next) {
    if (cors && nodeCors(cors, req, res) === 'answered') return;
    readAdmission(req)
      .then((token) => guardAdmission(token, options, store, req))
      .then(
        (claims) => {
          req.queueAdmission = claims;
          next();
        },
        (error: unknown) => {
          if (!(error instanceof AdmissionError)) return next(error);
          refuse(req, res, error);
        },
      );
  };
}

async function readAdmission(req: AdmissionRequest): Promise<string | null> {
  const fromHeader = bearerToken(req.headers.authorization);
  if (fromHeader !== null) return fromHeader;
  const fromParsedBody = fieldOf(req.body);
  if (fromParsedBody !== null || bodyWasRead(req)) return fromParsedBody;
  // Either no parser ran, or one left the stream alone and `req.body` as a placeholder:
  // Express 4's `express.json()` sets `{}` on a form post it does not parse.
  const contentType = req.headers['content-type'];
  if (!isAdmissionBodyType(contentType)) return null;
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > LIMITS.maxBodyBytes) throw new AdmissionError('body_too_large');
  const text = await readBody(req, LIMITS.maxBodyBytes);
  const { token, parsed } = admissionFromBody(contentType, text);
  if (req.body === undefined || isEmptyObject(req.body)) req.body = parsed;
  (req as { _body?: boolean })._body = true;
  return token;
}

/**
 * Whether something read the body stream before: it has ended, or body-parser 1.x marked it
 * (`req._body`). A `req.body` alone says nothing: body-parser 1.x sets `{}` without reading.
 */
function bodyWasRead(req: AdmissionRequest): boolean {
  return req.readableEnded || (req as { _body?: unknown })._body === true;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.byteLength;
      if (total > limit) {
        cleanup();
        reject(new AdmissionError('body_too_large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      try {
        resolve(decodeUtf8(chunks, total));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(Object.assign(new AdmissionError('invalid_body'), { cause: error }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function refuse(req: IncomingMessage, res: ServerResponse, error: AdmissionError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(error.toJSON());
  res.statusCode = error.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('cache-control', 'no-store');
  if (error.status === 401) res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
  if (error.status === 503) res.setHeader('retry-after', '5');
  if (!req.readableEnded) {
    // Discard the unread rest of the body and close the connection once answered, so that the
    // client still receives the refusal and nothing more is read from it.
    res.setHeader('connection', 'close');
    req.resume();
  }
  res.end(body);
}
