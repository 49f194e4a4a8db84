import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../../src/server/api-error.js';
import { createJoinRateLimit } from '../../src/server/join-rate-limit.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
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

describe('createJoinRateLimit with a store', () => {
  it('counts in the store: limiters sharing it allow the limit once between them', async () => {
    const store = await MemoryStore.open();
    let time = Date.UTC(2026, 0, 1, 9, 0, 45);
    const now = () => time;
    const [first, second] = [
      createJoinRateLimit({ perMinute: 3, now, store }),
      createJoinRateLimit({ perMinute: 3, now, store }),
    ];
    await first.take('a');
    await second.take('a');
    await first.take('a');
    const refused = await second.take('a').then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof ApiError, 'the 4th new place is refused by the other limiter');
    assert.equal(refused.status, 429);
    assert.equal(refused.code, 'rate_limited');
    assert.equal(refused.headers['Retry-After'], '15', 'until the minute ends');
    await second.take('b');
    time += 15_000;
    await second.take('a');
  });

  it('without a store keeps its own counts, as before', async () => {
    const now = () => Date.UTC(2026, 0, 1, 9, 0, 0);
    const alone = createJoinRateLimit({ perMinute: 1, now });
    const other = createJoinRateLimit({ perMinute: 1, now });
    await alone.take('a');
    await other.take('a');
    await assert.rejects(alone.take('a'), ApiError);
  });
});
