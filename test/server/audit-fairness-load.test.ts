/**
 * Outside audit: the public fairness record is built "at most once per 5 s per room" per
 * process. Before the fix, every request arriving while the copy was stale built its own: 30
 * requests at once from one client after an opening of 100,000 pre-open visitors made 30
 * builds (each reading and sorting every entrant) and held a visitor's `state` for 5 to 11 s.
 * Requests that arrive during a build now share it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const HOUR = 3600_000;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

describe('audit: many fairness requests at once', () => {
  it('builds the record once for all the requests that arrive while it is stale', async () => {
    const queue = await startTestServer({ rooms: {} });
    servers.push(queue);
    await adminCall(queue, 'PUT', 'launch', {
      admitPerMinute: 0,
      opensAt: queue.clock.now() + HOUR,
    });
    for (let i = 0; i < 2000; i += 1) {
      assert.equal((await join(queue, 'launch')).json.pre, true);
    }
    queue.clock.advance(HOUR + 1000);
    await join(queue, 'launch'); // the draw runs
    const store = queue.store;
    const read = store.getDraw.bind(store);
    let reads = 0;
    store.getDraw = (room: string) => {
      reads += 1;
      return read(room);
    };
    for (let round = 0; round < 3; round += 1) {
      queue.clock.advance(6000); // past the 5 s the last copy is served
      reads = 0;
      const answers = await Promise.all(
        Array.from({ length: 25 }, async () => {
          const response = await fetch(`${queue.url}/rooms/launch/fairness`);
          assert.equal(response.status, 200);
          return response.text();
        }),
      );
      assert.equal(reads, 1, `25 requests at once built the record ${reads} times`);
      assert.equal(new Set(answers).size, 1, 'every request got the same record');
      assert.equal(JSON.parse(answers[0]!).draw.entrantCount, 2000);
    }
  });
});
