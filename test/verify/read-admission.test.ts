import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMISSION_FIELD, LIMITS } from '../../src/protocol.js';
import { AdmissionError, bearerToken, readAdmissionFromRequest } from '../../src/verify/index.js';

const url = 'http://book.test/book';

function post(body: string, contentType: string, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType, ...headers },
  });
}

async function refusalOf(promise: Promise<unknown>): Promise<AdmissionError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AdmissionError);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('readAdmissionFromRequest', () => {
  it('reads a bearer token from the Authorization header first', async () => {
    const request = post(`${ADMISSION_FIELD}=from-body`, 'application/x-www-form-urlencoded', {
      authorization: 'Bearer from-header',
    });
    assert.equal(await readAdmissionFromRequest(request), 'from-header');
  });

  it('reads the admission field of a urlencoded form and leaves the body readable', async () => {
    const request = post(
      `name=Ada&${ADMISSION_FIELD}=abc.def.ghi`,
      'application/x-www-form-urlencoded',
    );
    assert.equal(await readAdmissionFromRequest(request), 'abc.def.ghi');
    assert.equal((await request.formData()).get('name'), 'Ada');
  });

  it('reads the admission field of a JSON body', async () => {
    const request = post(
      JSON.stringify({ [ADMISSION_FIELD]: 'json.token.x' }),
      'application/json; charset=utf-8',
    );
    assert.equal(await readAdmissionFromRequest(request), 'json.token.x');
  });

  it('finds nothing in a request without header or field', async () => {
    assert.equal(await readAdmissionFromRequest(new Request(url)), null);
    assert.equal(await readAdmissionFromRequest(post('{"other":1}', 'application/json')), null);
    assert.equal(await readAdmissionFromRequest(post(`${ADMISSION_FIELD}=x`, 'text/plain')), null);
    const notString = post(JSON.stringify({ [ADMISSION_FIELD]: 42 }), 'application/json');
    assert.equal(await readAdmissionFromRequest(notString), null);
  });

  it('falls back to the body when the Authorization header is not a bearer', async () => {
    const request = post(`${ADMISSION_FIELD}=body-token`, 'application/x-www-form-urlencoded', {
      authorization: 'Basic dXNlcjpwYXNz',
    });
    assert.equal(await readAdmissionFromRequest(request), 'body-token');
  });

  it('refuses a body over the size limit with body_too_large (413)', async () => {
    const big = `${ADMISSION_FIELD}=x&pad=${'p'.repeat(LIMITS.maxBodyBytes)}`;
    const error = await refusalOf(
      readAdmissionFromRequest(post(big, 'application/x-www-form-urlencoded')),
    );
    assert.equal(error.code, 'body_too_large');
    assert.equal(error.status, 413);
  });

  it('refuses a body over the size limit even when it is streamed without a length', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 20) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request(url, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    const error = await refusalOf(readAdmissionFromRequest(request));
    assert.equal(error.code, 'body_too_large');
    assert.ok(sent < 20, 'reading stopped at the limit');
  });

  it('refuses a JSON body that does not parse with invalid_body (400)', async () => {
    const error = await refusalOf(
      readAdmissionFromRequest(post('{"queue_admission":', 'application/json')),
    );
    assert.equal(error.code, 'invalid_body');
    assert.equal(error.status, 400);
  });
});

describe('bearerToken', () => {
  it('takes the token of a well-formed bearer header only', () => {
    assert.equal(bearerToken('Bearer a.b.c'), 'a.b.c');
    assert.equal(bearerToken('bearer   a.b.c  '), 'a.b.c');
    assert.equal(bearerToken('Bearer'), null);
    assert.equal(bearerToken('Bearer a b'), null);
    assert.equal(bearerToken('Basic abc'), null);
    assert.equal(bearerToken(undefined), null);
  });
});
