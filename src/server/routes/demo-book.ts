/**
 * `POST /demo/book?room=NAME`: the sample booking backend, built as a site owner would build
 * theirs with `queue-gate/verify`: it takes only admissions of its room (bearer header or the
 * `queue_admission` form/JSON field), checks them against the queue's own keys, uses each once.
 */
import type { Hono } from 'hono';
import { ADMISSION_FIELD } from '../../protocol.js';
import {
  AdmissionError,
  consumeAdmission,
  readAdmissionFromRequest,
  verifyAdmission,
} from '../../verify/index.js';
import { checkRoomId, jsonNoStore } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';
import type { QueueService } from '../queue-service.js';
import { readBodyBytes } from '../request-body.js';

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

/** Registers the sample booking route. */
export function registerDemoBookRoute(app: Hono<QueueAppEnv>, service: QueueService): void {
  app.post('/demo/book', async (c) => {
    const room = checkRoomId(c.req.query('room') ?? DEFAULT_DEMO_ROOM);
    const record = await service.requireRoom(room);
    c.set('room', room);
    // The whole body is read (and size-checked) before the admission is used, so a refused
    // body never costs the visitor their admission.
    const contentType = c.req.header('Content-Type');
    const body = new TextDecoder().decode(await readBodyBytes(c.req.raw.clone()));
    const token = await readAdmissionFromRequest(c.req.raw);
    if (token === null) throw new AdmissionError('token_missing');
    const claims = await verifyAdmission(token, {
      jwks: service.signer.jwks(),
      room,
      audience: record.config.audience ?? service.publicOrigin,
      issuer: service.publicOrigin,
      now: service.now,
    });
    await consumeAdmission(claims, service.singleUseStore());
    const fields = bookingFields(contentType, body);
    if (isFormPost(contentType)) {
      return new Response(bookedPage(room, claims.seq, fields), {
        headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    }
    return jsonNoStore({ booked: true, room, seq: claims.seq, ...fields });
  });
}
