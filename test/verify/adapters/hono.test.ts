import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { ADMISSION_FIELD, LIMITS } from '../../../src/protocol.js';
import { queueAdmission } from '../../../src/verify/index.js';
import type { QueueAdmissionVariables } from '../../../src/verify/index.js';
import { createTokenFixture, genuine, verifyOptionsFor } from '../support/refusal-cases.js';
import type { TokenFixture } from '../support/refusal-cases.js';
import {
  postBearer,
  postForm,
  postJson,
  postStreamed,
  refusalOf,
} from '../support/booking-requests.js';

describe('queueAdmission (Hono)', () => {
  let fx: TokenFixture;
  let url: string;
  let server: ReturnType<typeof serve>;

  before(async () => {
    fx = await createTokenFixture();
    const app = new Hono<{ Variables: QueueAdmissionVariables }>();
    const guard = queueAdmission(verifyOptionsFor(fx));
    app.post('/book', guard, async (c) => {
      const type = c.req.header('content-type') ?? '';
      const name = type.includes('urlencoded') ? (await c.req.parseBody())['name'] : undefined;
      return c.json({ seq: c.get('queueAdmission').seq, name: name ?? null });
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/book`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('lets a request with a bearer admission through once, then answers 409 admission_used', async () => {
    const token = await genuine(fx, 'admission');
    const first = await postBearer(url, token);
    assert.equal(first.status, 200);
    assert.equal(((await first.json()) as { seq: number }).seq, 7);
    assert.deepEqual(await refusalOf(await postBearer(url, token)), {
      status: 409,
      code: 'admission_used',
    });
  });

  it('reads the admission field of a form and leaves the body readable for the handler', async () => {
    const response = await postForm(url, {
      name: 'Ada',
      [ADMISSION_FIELD]: await genuine(fx, 'admission', { seq: 8 }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { seq: 8, name: 'Ada' });
  });

  it('reads the admission field of a JSON body', async () => {
    const response = await postJson(url, await genuine(fx, 'admission', { seq: 9 }));
    assert.equal(response.status, 200);
  });

  it('answers 401 token_missing with a bearer challenge when no admission is sent', async () => {
    const response = await fetch(url, { method: 'POST' });
    assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.deepEqual(await refusalOf(response), { status: 401, code: 'token_missing' });
  });

  it('answers 401 with the refusal code of an admission for another room', async () => {
    const token = await genuine(fx, 'admission', { room: 'other-room' });
    assert.deepEqual(await refusalOf(await postBearer(url, token)), {
      status: 401,
      code: 'token_wrong_room',
    });
  });

  it('answers 413 to a chunked upload over the limit that declares no length', async () => {
    const response = await postStreamed(url, 64);
    assert.deepEqual(await refusalOf(response), { status: 413, code: 'body_too_large' });
  });

  it('answers 413 body_too_large to a body over the limit', async () => {
    const response = await postForm(url, {
      [ADMISSION_FIELD]: 'x',
      pad: 'p'.repeat(LIMITS.maxBodyBytes),
    });
    assert.deepEqual(await refusalOf(response), { status: 413, code: 'body_too_large' });
  });
});
