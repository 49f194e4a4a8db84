import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admit, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('room reads on the hot routes', () => {
  let server: TestServer;
  let reads = 0;
  before(async () => {
    server = await startTestServer({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 60 } } });
    // Counts on this one store instance: every room read a request costs is a Redis round trip
    // when the store is shared.
    const getRoom = server.store.getRoom.bind(server.store);
    server.store.getRoom = (room) => {
      reads += 1;
      return getRoom(room);
    };
  });
  after(() => server.close());

  it('reads the room once for a new place: handing out the seq changes nothing the answer shows', async () => {
    reads = 0;
    const visitor = await join(server);
    assert.equal(visitor.status, 200);
    assert.equal(reads, 1);
  });

  it('reads the room once for a rejoin with a ticket and once for an admit', async () => {
    const visitor = await join(server);
    await adminCall(server, 'POST', 'demo/advance', { by: visitor.json.position + 1 });
    reads = 0;
    assert.equal((await join(server, 'demo', visitor.json.ticket)).status, 200);
    assert.equal(reads, 1, 'rejoin');
    reads = 0;
    assert.equal((await admit(server, visitor.json.ticket)).status, 200);
    assert.equal(reads, 1, 'admit');
  });
});
