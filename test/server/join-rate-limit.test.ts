import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('per-client limit on new places', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ joinsPerMinutePerClient: 2 });
  });
  after(() => server.close());

  const joinAs = (client: string, body: unknown = {}) =>
    postJson(`${server.url}/rooms/demo/join`, body, { 'X-Client': client });

  it('answers 429 rate_limited with Retry-After past the limit, per client', async () => {
    const first = await joinAs('a');
    assert.equal(first.status, 200);
    assert.equal((await joinAs('a')).status, 200);
    const refused = await joinAs('a');
    assert.equal(refused.status, 429);
    assert.equal(refused.json.error.code, 'rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await joinAs('b')).status, 200, 'another client is not affected');

    const rejoin = await joinAs('a', { ticket: first.json.ticket });
    assert.equal(rejoin.status, 200, 'rejoining with a ticket is never limited');
    assert.equal(rejoin.json.seq, first.json.seq);

    server.clock.advance(60_000);
    assert.equal((await joinAs('a')).status, 200, 'the next minute allows new places again');
  });
});
