/**
 * Going straight to the booking backend: `/demo/book` without a valid admission, with every
 * method, content type and body someone might try. Each is refused with a JSON 4xx; none
 * books, none is a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ADMISSION_FIELD, LIMITS } from '../../src/protocol.js';
import { admit, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

interface Attempt {
  name: string;
  init: RequestInit;
  query?: string;
}

async function attempt(server: TestServer, { init, query = '' }: Attempt) {
  const response = await fetch(`${server.url}/demo/book${query}`, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

describe('the booking backend reached directly, without an admission', () => {
  let server: TestServer;
  let ticket: string;
  let admissionOfOtherRoom: string;
  before(async () => {
    server = await startTestServer({
      rooms: { demo: { admitPerMinute: 0 }, other: { admitPerMinute: 0 } },
    });
    ticket = (await join(server)).json.ticket as string;
    const elsewhere = await join(server, 'other');
    await server.service.advance('other', 1);
    admissionOfOtherRoom = (await admit(server, elsewhere.json.ticket, 'other')).json
      .admission as string;
  });
  after(() => server.close());

  const attempts = (): Attempt[] => [
    ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map((method) => ({
      name: `${method} with no body`,
      init: { method },
    })),
    { name: 'HEAD', init: { method: 'HEAD' } },
    { name: 'POST with nothing at all', init: { method: 'POST' } },
    {
      name: 'POST with an empty JSON object',
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    },
    {
      name: 'POST with JSON that does not parse',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"queue_admission":',
      },
    },
    {
      name: 'POST with a JSON array',
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[1,2,3]' },
    },
    {
      name: 'POST with a JSON admission that is a number',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: `{"${ADMISSION_FIELD}":42}`,
      },
    },
    {
      name: 'POST with an empty form field',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${ADMISSION_FIELD}=`,
      },
    },
    {
      name: 'POST with a garbage form field',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${ADMISSION_FIELD}=garbage&name=Ada`,
      },
    },
    {
      name: 'POST with the field twice',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${ADMISSION_FIELD}=a.b.c&${ADMISSION_FIELD}=d.e.f`,
      },
    },
    {
      name: 'POST as text/plain',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: `${ADMISSION_FIELD}=a.b.c`,
      },
    },
    {
      name: 'POST as XML',
      init: { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<book/>' },
    },
    {
      name: 'POST as multipart',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
        body: `--x\r\nContent-Disposition: form-data; name="${ADMISSION_FIELD}"\r\n\r\nabc\r\n--x--\r\n`,
      },
    },
    {
      name: 'POST with bytes that are not UTF-8',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      },
    },
    {
      name: 'POST with a body over the limit',
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: 'x'.repeat(LIMITS.maxBodyBytes + 1),
      },
    },
    {
      name: 'POST with a Basic header',
      init: { method: 'POST', headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } },
    },
    {
      name: 'POST with an empty bearer',
      init: { method: 'POST', headers: { Authorization: 'Bearer ' } },
    },
    {
      name: 'POST with a garbage bearer',
      init: { method: 'POST', headers: { Authorization: 'Bearer x.y.z' } },
    },
    {
      name: 'POST with the visitor ticket instead of an admission',
      init: { method: 'POST', headers: { Authorization: `Bearer ${ticket}` } },
    },
    {
      name: "POST with another room's admission",
      init: { method: 'POST', headers: { Authorization: `Bearer ${admissionOfOtherRoom}` } },
    },
    {
      name: 'POST for a room id that is not one',
      init: { method: 'POST' },
      query: '?room=../../admin',
    },
    {
      name: 'POST for a room that does not exist',
      init: { method: 'POST' },
      query: '?room=nowhere',
    },
    {
      name: 'POST with the room given twice',
      init: { method: 'POST', headers: { Authorization: `Bearer ${admissionOfOtherRoom}` } },
      query: '?room=demo&room=other',
    },
  ];

  it('refuses every request without a valid admission with a JSON 4xx, never a 500', async () => {
    for (const each of attempts()) {
      const answer = await attempt(server, each);
      assert.ok(
        answer.status >= 400 && answer.status < 500,
        `${each.name}: answered ${answer.status}`,
      );
      if (each.init.method !== 'HEAD') {
        assert.match(answer.type, /^application\/json/, `${each.name}: a JSON error`);
        const code = (JSON.parse(answer.text) as { error: { code: string } }).error.code;
        assert.ok(code.length > 0, `${each.name}: with a code`);
      }
      assert.doesNotMatch(answer.text, /booked/i, `${each.name}: nothing is booked`);
    }
    const stats = await server.service.stats('other');
    assert.equal(stats.active, 1, "the other room's admission was never consumed by those tries");
  });

  it('answers 401 for a POST that carries no admission, whatever its body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'application/octet-stream',
          'application/problem+json',
          '',
        ),
        fc.string({ maxLength: 400, unit: 'binary' }),
        async (contentType, body) => {
          const answer = await attempt(server, {
            name: 'random body',
            init: {
              method: 'POST',
              headers: contentType ? { 'Content-Type': contentType } : {},
              body,
            },
          });
          assert.ok(
            [400, 401].includes(answer.status),
            `answered ${answer.status} to ${JSON.stringify(body)}`,
          );
          assert.doesNotMatch(answer.text, /booked/i);
        },
      ),
      { numRuns: 300 },
    );
  });
});
