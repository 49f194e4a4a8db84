/**
 * Issue 7, direct URL: a browser that reaches the sample booking backend without a valid
 * admission is sent to the line with a small page, never shown raw JSON or a 500; API callers
 * keep the JSON errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admit, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

/** What Chromium sends in `Accept` when it follows a link or submits a form. */
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const FORM = 'application/x-www-form-urlencoded';

describe('the booking backend reached by a browser without a valid admission', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      rooms: { demo: { admitPerMinute: 0 }, 'concert-2': { admitPerMinute: 0 } },
    });
  });
  after(() => server.close());

  async function admission(room: string): Promise<string> {
    const visitor = await join(server, room);
    await adminCall(server, 'POST', `${room}/advance`, { by: visitor.json.position });
    const answer = await admit(server, visitor.json.ticket, room);
    assert.equal(answer.status, 200);
    return answer.json.admission as string;
  }

  async function send(init: RequestInit, room = 'demo') {
    const response = await fetch(`${server.url}/demo/book?room=${room}`, init);
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      csp: response.headers.get('content-security-policy') ?? '',
      text: await response.text(),
    };
  }

  it('answers a followed link with a 401 page that links to the line of its room', async () => {
    const page = await send({ headers: { Accept: BROWSER_ACCEPT } }, 'concert-2');
    assert.equal(page.status, 401);
    assert.match(page.type, /^text\/html/);
    assert.match(page.text, /<a href="\/booking\.html\?room=concert-2">/);
    assert.match(page.text, /join the line/i);
    assert.match(page.csp, /default-src/, 'served with the page security headers');
  });

  it('answers a form post without an admission, or with a broken one, with the same page', async () => {
    for (const body of ['name=Ada', 'queue_admission=not.a.token&name=Ada']) {
      const page = await send({
        method: 'POST',
        headers: { 'Content-Type': FORM, Accept: BROWSER_ACCEPT },
        body,
      });
      assert.equal(page.status, 401, body);
      assert.match(page.type, /^text\/html/, body);
      assert.match(page.text, /<a href="\/booking\.html\?room=demo">/, body);
      assert.doesNotMatch(page.text, /booked|not\.a\.token/i, body);
    }
  });

  it('books a form post once, then answers the same admission with an "already used" 409 page', async () => {
    const token = await admission('demo');
    const init: RequestInit = {
      method: 'POST',
      headers: { 'Content-Type': FORM, Accept: BROWSER_ACCEPT },
      body: new URLSearchParams({ queue_admission: token, name: 'Ada' }).toString(),
    };
    const booked = await send(init);
    assert.equal(booked.status, 200);
    assert.match(booked.text, /<h1>Booked<\/h1>/);
    const again = await send(init);
    assert.equal(again.status, 409);
    assert.match(again.type, /^text\/html/);
    assert.match(again.text, /already used/i);
    assert.match(again.text, /<a href="\/booking\.html\?room=demo">/);
    assert.doesNotMatch(again.text, new RegExp(token.slice(-20)), 'the admission is not echoed');
  });

  it('keeps the JSON 401, 409 and 405 for API callers', async () => {
    const missing = await send({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}',
    });
    assert.equal(missing.status, 401);
    assert.equal(
      (JSON.parse(missing.text) as { error: { code: string } }).error.code,
      'token_missing',
    );

    const token = await admission('demo');
    const bearer = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    assert.equal((await send({ method: 'POST', headers: bearer })).status, 200);
    const used = await send({ method: 'POST', headers: bearer });
    assert.equal(used.status, 409);
    assert.match(used.type, /^application\/json/);
    assert.equal(
      (JSON.parse(used.text) as { error: { code: string } }).error.code,
      'admission_used',
    );

    const get = await send({ headers: { Accept: 'application/json' } });
    assert.equal(get.status, 405);
    assert.match(get.type, /^application\/json/);
  });

  it('answers a browser asking for a room that does not exist with a 4xx, never a 500', async () => {
    const page = await send({ headers: { Accept: BROWSER_ACCEPT } }, 'no-such-room');
    assert.ok(page.status >= 400 && page.status < 500, `answered ${page.status}`);
  });
});
