import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('overload guard', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ maxInFlight: 1 });
  });
  after(() => server.close());

  it('answers 503 overloaded with Retry-After past maxInFlight, and serves again after', async () => {
    const { port } = new URL(server.url);
    // A join whose body is still arriving keeps one request in flight.
    let finish!: () => void;
    const slow = new Promise<number>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/rooms/demo/join',
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.write('{');
      finish = () => req.end('}');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const shed = await fetch(`${server.url}/rooms/demo/state`);
    assert.equal(shed.status, 503);
    assert.equal(shed.headers.get('retry-after'), '2');
    assert.equal((await shed.json()).error.code, 'overloaded');

    finish();
    assert.equal(await slow, 200);
    assert.equal((await fetch(`${server.url}/rooms/demo/state`)).status, 200);
  });
});
