/**
 * `POST /demo/book?room=NAME`: the sample booking backend, built as a site owner would build
 * theirs with `queue-gate/verify`: it takes only admissions of its room (bearer header or the
 * `queue_admission` form/JSON field), checks them against the queue's own keys, and books each
 * place once, whichever of its admissions comes.
 *
 * A browser that lands here without a valid admission (a bookmarked or shared URL, a form sent
 * twice) gets a small page with a link to the line instead of raw JSON: the point of a waiting
 * room is to send people to the line, not to show them an error body. API callers keep the
 * JSON errors of the wire protocol.
 */
import type { Hono } from 'hono';
import { ADMISSION_FIELD } from '../../protocol.js';
import { AdmissionError, TokenError, readAdmissionFromRequest } from '../../verify/index.js';
import { checkRoomId, jsonNoStore } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueRoom, QueueService } from '../queue-service.js';
import { readBodyBytes } from '../request-body.js';
import { secureResponse } from '../security-headers.js';

/** Room booked when the query names none. */
export const DEFAULT_DEMO_ROOM = 'demo';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const isFormPost = (contentType: string | undefined): boolean =>
  /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(contentType ?? '');

/** The fields a booking shows back (never the admission itself). */
function bookingFields(contentType: string | undefined, body: string): Record<string, string> {
  let source: Record<string, unknown> = {};
  if (isFormPost(contentType)) {
    source = Object.fromEntries(new URLSearchParams(body));
  } else if (body.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null) source = parsed as Record<string, unknown>;
    } catch {
      /* the admission was read from the header; a body that does not parse carries no fields */
    }
  }
  const fields: Record<string, string> = {};
  for (const key of ['name', 'date']) {
    const value = source[key];
    if (typeof value === 'string' && key !== ADMISSION_FIELD) fields[key] = value.slice(0, 200);
  }
  return fields;
}

function bookedPage(room: string, seq: number, fields: Record<string, string>): string {
  const rows = Object.entries(fields)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Booked</title></head>
<body>
<main>
<h1>Booked</h1>
<p>Your booking in room <strong>${escapeHtml(room)}</strong> (place ${seq}) is confirmed.</p>
<dl>${rows}</dl>
<p><a href="/booking.html?room=${encodeURIComponent(room)}">Back to the booking page</a></p>
</main>
</body>
</html>
`;
}

/**
 * Whether the request is a browser navigation (a form post or a followed link): browsers list
 * `text/html` in `Accept` for those, while `fetch` and API clients do not unless asked to.
 */
export function wantsHtml(request: Request): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(request.headers.get('Accept') ?? '');
}

/** The page a browser gets instead of a 401 or 409 error body: what happened, and the way back. */
export function sentToLinePage(room: string, used: boolean): string {
  const line = `/booking.html?room=${encodeURIComponent(room)}`;
  const [title, text, link] = used
    ? [
        'Already used',
        'This admission was already used for a booking. Each turn books once; to book again, join the line.',
        'Join the line again',
      ]
    : [
        'Please join the line',
        'Booking here needs your turn in the line first. Join the line, and this page opens for you when it is your turn.',
        'Go to the line',
      ];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head>
<body>
<main>
<h1>${title}</h1>
<p>${text}</p>
<p>Room: <strong>${escapeHtml(room)}</strong></p>
<p><a href="${escapeHtml(line)}">${link}</a></p>
</main>
</body>
</html>
`;
}

async function refusalPage(
  service: QueueService,
  room: string,
  status: 401 | 409,
  code: string,
): Promise<Response> {
  // Counted like the JSON refusals the error handler counts, so the metrics see both.
  await service.countFailure(status, code, room).catch(() => {});
  return secureResponse(sentToLinePage(room, status === 409), {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** Registers the sample booking route. */
export function registerDemoBookRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  // A followed link or a typed URL: the visitor holds no admission here, so show the way to the
  // line. Anything else falls through to the 405 that API clients expect.
  app.get('/demo/book', async (c, next) => {
    if (!wantsHtml(c.req.raw)) return next();
    const room = checkRoomId(c.req.query('room') ?? DEFAULT_DEMO_ROOM);
    await service.room(room);
    c.set('room', room);
    return refusalPage(service, room, 401, 'token_missing');
  });

  app.post('/demo/book', async (c) => {
    const room = checkRoomId(c.req.query('room') ?? DEFAULT_DEMO_ROOM);
    const target = await service.room(room);
    c.set('room', room);
    try {
      return await book(c.req.raw, target);
    } catch (error) {
      const status =
        error instanceof TokenError ? 401 : error instanceof AdmissionError ? error.status : null;
      if (wantsHtml(c.req.raw) && (status === 401 || status === 409)) {
        return refusalPage(service, room, status, (error as TokenError | AdmissionError).code);
      }
      throw error;
    }
  });

  async function book(request: Request, target: QueueRoom): Promise<Response> {
    const room = target.id;
    // The whole body is read (and size-checked) before the admission is used, so a refused
    // body never costs the visitor their admission.
    const contentType = request.headers.get('Content-Type') ?? undefined;
    const body = new TextDecoder().decode(await readBodyBytes(request.clone()));
    const token = await readAdmissionFromRequest(request);
    if (token === null) throw new AdmissionError('token_missing');
    // Checked as the room's booking site would check it, with the queue's own keys and clock.
    const claims = await target.verifyBookingAdmission(token);
    // Booked in the queue's own store (not a separate single-use store), so that the place
    // gets no new admission afterwards and no other admission of it books.
    await service.book(claims);
    const fields = bookingFields(contentType, body);
    if (isFormPost(contentType)) {
      return new Response(bookedPage(room, claims.seq, fields), {
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    }
    return jsonNoStore({ booked: true, room, seq: claims.seq, ...fields });
  }
}
