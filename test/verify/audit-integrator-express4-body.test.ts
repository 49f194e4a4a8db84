/**
 * Express 4's body parsers (body-parser 1.x) set `req.body = {}` on every request, also when the
 * content type is not theirs and the stream is left unread: an app with `app.use(express.json())`
 * then receives the element's plain form post with `req.body` empty and the hidden
 * `queue_admission` field still in the stream. `requireAdmission` must read it there, and must
 * not wait for a stream a parser has already read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMISSION_FIELD } from '../../src/protocol.js';
import { requireAdmission } from '../../src/verify/index.js';
import type { AdmissionRequest } from '../../src/verify/index.js';
import { createTokenFixture, genuine, verifyOptionsFor } from './support/refusal-cases.js';
import type { TokenFixture } from './support/refusal-cases.js';
import { listen } from './support/http-server.js';
import type { RunningServer } from './support/http-server.js';
import { postForm, refusalOf } from './support/booking-requests.js';

/** What body-parser 1.x's `json()` does to a request whose type is not JSON. */
function express4JsonParser(req: AdmissionRequest): void {
  req.body = req.body ?? {};
}

/** A parser that read the whole body and found nothing it could use (as body-parser 1.x marks it). */
async function parserThatReadTheBody(req: AdmissionRequest): Promise<void> {
  for await (const chunk of req) void chunk;
  req.body = {};
  (req as { _body?: boolean })._body = true;
}

describe('requireAdmission after an Express 4 body parser', () => {
  let fx: TokenFixture;
  let server: RunningServer;

  before(async () => {
    fx = await createTokenFixture();
    const guard = requireAdmission(verifyOptionsFor(fx));
    server = await listen((incoming, res) => {
      const req = incoming as AdmissionRequest;
      const ready =
        req.url === '/read-by-parser' ? parserThatReadTheBody(req) : express4JsonParser(req);
      void Promise.resolve(ready).then(() =>
        guard(req, res, (error) => {
          res.writeHead(error ? 500 : 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ seq: req.queueAdmission?.seq, body: req.body ?? null }));
        }),
      );
    });
  });

  after(() => server.close());

  it('reads the hidden field of a form post left unread under an empty req.body', async () => {
    const token = await genuine(fx, 'admission', { seq: 11 });
    const response = await postForm(`${server.url}/placeholder`, {
      name: 'Ada',
      [ADMISSION_FIELD]: token,
    });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { seq: number; body: Record<string, string> };
    assert.equal(body.seq, 11);
    assert.equal(body.body.name, 'Ada', 'the form reaches the handler in req.body');
  });

  it('answers token_missing at once when a parser read the body and found no field', async () => {
    // Bounded: waiting for the end of a stream that already ended would never answer.
    const response = await fetch(`${server.url}/read-by-parser`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Ada',
      signal: AbortSignal.timeout(5000),
    });
    assert.deepEqual(await refusalOf(response), { status: 401, code: 'token_missing' });
  });
});
