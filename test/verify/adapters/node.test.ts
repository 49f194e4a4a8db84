import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMISSION_FIELD, LIMITS } from '../../../src/protocol.js';
import { createMemorySingleUseStore, requireAdmission } from '../../../src/verify/index.js';
import type { AdmissionMiddleware, AdmissionRequest } from '../../../src/verify/index.js';
import { createTokenFixture, genuine } from '../support/refusal-cases.js';
import type { TokenFixture } from '../support/refusal-cases.js';
import { listen, serveJwks } from '../support/http-server.js';
import type { JwksEndpoint, RunningServer } from '../support/http-server.js';
import {
  postBearer,
  postForm,
  postJson,
  postStreamed,
  refusalOf,
} from '../support/booking-requests.js';

describe('requireAdmission (node:http)', () => {
  let fx: TokenFixture;
  let jwks: JwksEndpoint;
  let server: RunningServer;

  before(async () => {
    fx = await createTokenFixture();
    jwks = await serveJwks(() => fx.signer.jwks());
    const options = {
      jwksUrl: jwks.jwksUrl,
      room: fx.room,
      audience: fx.audience,
      issuer: fx.issuer,
      now: () => fx.clock.now,
    };
    const guards: Record<string, AdmissionMiddleware> = {
      '/book': requireAdmission({
        ...options,
        store: createMemorySingleUseStore({ now: () => fx.clock.now }),
      }),
      '/misconfigured': requireAdmission({ ...options, jwks: fx.signer.jwks() }),
    };
    server = await listen((incoming, res) => {
      const req = incoming as AdmissionRequest;
      const path = req.url ?? '';
      // Express-style: a body parser that ran before the guard.
      if (path === '/book?parsed') req.body = { [ADMISSION_FIELD]: req.headers['x-test-token'] };
      const guard = guards[path.split('?')[0]!]!;
      guard(req, res, (error) => {
        if (error) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('config error');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ seq: req.queueAdmission?.seq, body: req.body ?? null }));
      });
    });
  });

  after(async () => {
    await server.close();
    await jwks.close();
  });

  it('lets a request with a bearer admission through once, then answers 409 admission_used', async () => {
    const token = await genuine(fx, 'admission');
    const first = await postBearer(`${server.url}/book`, token);
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { seq: number }).seq, 7);
    const second = await postBearer(`${server.url}/book`, token);
    assert.deepEqual(await refusalOf(second), { status: 409, code: 'admission_used' });
  });

  it('reads the admission field of a urlencoded booking form and hands the parsed body on', async () => {
    const token = await genuine(fx, 'admission', { seq: 8 });
    const response = await postForm(`${server.url}/book`, {
      name: 'Ada',
      [ADMISSION_FIELD]: token,
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { seq: number; body: Record<string, string> };
    assert.equal(body.seq, 8);
    assert.equal(body.body.name, 'Ada');
  });

  it('reads the admission field of a JSON body', async () => {
    const response = await postJson(
      `${server.url}/book`,
      await genuine(fx, 'admission', { seq: 9 }),
    );
    assert.equal(response.status, 200);
  });

  it('uses a body that a body parser already read', async () => {
    const token = await genuine(fx, 'admission', { seq: 10 });
    const response = await fetch(`${server.url}/book?parsed`, {
      method: 'POST',
      headers: { 'x-test-token': token },
    });
    assert.equal(response.status, 200);
  });

  it('answers 401 token_missing with a bearer challenge when no admission is sent', async () => {
    const response = await fetch(`${server.url}/book`, { method: 'POST' });
    assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await refusalOf(response), { status: 401, code: 'token_missing' });
  });

  it('answers 401 with the refusal code of a bad admission', async () => {
    const ticket = await genuine(fx, 'ticket');
    assert.deepEqual(await refusalOf(await postBearer(`${server.url}/book`, ticket)), {
      status: 401,
      code: 'token_wrong_type',
    });
    const elsewhere = await genuine(fx, 'admission', { aud: 'https://other-shop.test' });
    assert.deepEqual(await refusalOf(await postBearer(`${server.url}/book`, elsewhere)), {
      status: 401,
      code: 'token_wrong_audience',
    });
  });

  it('answers 413 to a chunked upload over the limit that declares no length', async () => {
    const response = await postStreamed(`${server.url}/book`, 64);
    assert.deepEqual(await refusalOf(response), { status: 413, code: 'body_too_large' });
  });

  it('answers 413 body_too_large to a body over the limit', async () => {
    const response = await postForm(`${server.url}/book`, {
      [ADMISSION_FIELD]: 'x',
      pad: 'p'.repeat(LIMITS.maxBodyBytes),
    });
    assert.deepEqual(await refusalOf(response), { status: 413, code: 'body_too_large' });
  });

  it('answers 413 to a large upload without reading it all', async () => {
    const response = await fetch(`${server.url}/book`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'p'.repeat(4 * 1024 * 1024) }),
    });
    assert.deepEqual(await refusalOf(response), { status: 413, code: 'body_too_large' });
  });

  it('passes a configuration error to next() instead of blaming the visitor', async () => {
    const response = await postBearer(
      `${server.url}/misconfigured`,
      await genuine(fx, 'admission', { seq: 11 }),
    );
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'config error');
  });
});
