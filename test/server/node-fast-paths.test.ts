import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol.js';
import { startQueueServer } from '../../src/server/node-server.js';
import type { RunningQueueServer } from '../../src/server/node-server.js';

/** The same rules when headers and bodies are read straight from Node's request. */
describe('startQueueServer reading requests straight from Node', () => {
  let server: RunningQueueServer;
  before(async () => {
    server = await startQueueServer({
      port: 0,
      dataDir: null,
      staticRoot: null,
      tickIntervalMs: 0,
      rooms: { demo: { admitPerMinute: 0, allowedOrigins: ['https://shop.example'] } },
      logError: () => {},
    });
  });
  after(() => server.close());

  const join = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/rooms/demo/join`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('joins with a JSON body and keeps the place when the ticket is sent back', async () => {
    const first = await join('{}');
    assert.equal(first.status, 200);
    const joined = (await first.json()) as { ticket: string; seq: number };
    const again = await join(JSON.stringify({ ticket: joined.ticket }));
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { seq: number }).seq, joined.seq);
  });

  it('refuses a body over the limit, a body that is not JSON and a non-object', async () => {
    const tooLarge = await join(JSON.stringify({ pad: 'x'.repeat(LIMITS.maxBodyBytes) }));
    assert.equal(tooLarge.status, 413);
    assert.equal(
      ((await tooLarge.json()) as { error: { code: string } }).error.code,
      'body_too_large',
    );
    const text = await join('hello', { 'Content-Type': 'text/plain' });
    assert.equal(text.status, 415);
    const broken = await join('{"ticket":');
    assert.equal(broken.status, 400);
    const list = await join('[]');
    assert.equal(list.status, 400);
  });

  it('answers 304 to a matching If-None-Match and CORS to an allowed Origin', async () => {
    const state = await fetch(`${server.url}/rooms/demo/state`);
    const etag = state.headers.get('etag') ?? '';
    assert.ok(etag);
    const revalidated = await fetch(`${server.url}/rooms/demo/state`, {
      headers: { 'If-None-Match': etag },
    });
    assert.equal(revalidated.status, 304);
    const allowed = await join('{}', { Origin: 'https://shop.example' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    const refused = await join('{}', { Origin: 'https://evil.example' });
    assert.equal(refused.status, 403);
  });
});
