/**
 * The body reader of runtimes other than Node (where the app reads the web `Request` itself):
 * a body over the limit is refused at once, also when the request was cloned and the clone is
 * never read (as the mocks and the demo booking route do).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol.js';
import { ApiError } from '../../src/server/api-error.js';
import { readBodyBytes } from '../../src/server/request-body.js';

/** Fails instead of hanging when `work` never settles. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const bodyOf = (bytes: number) =>
  new Request('http://queue.test/rooms/demo/join', { method: 'POST', body: 'x'.repeat(bytes) });

describe('readBodyBytes', () => {
  it('refuses a body over the limit with 413 body_too_large, though a clone of it is never read', async () => {
    const request = bodyOf(LIMITS.maxBodyBytes + 1);
    const unread = request.clone();
    await assert.rejects(
      within(2000, readBodyBytes(request)),
      (error: unknown) => error instanceof ApiError && error.code === 'body_too_large',
    );
    assert.equal(unread.bodyUsed, false);
  });

  it('reads a body at the limit in full', async () => {
    const bytes = await within(2000, readBodyBytes(bodyOf(LIMITS.maxBodyBytes)));
    assert.equal(bytes.byteLength, LIMITS.maxBodyBytes);
  });
});
