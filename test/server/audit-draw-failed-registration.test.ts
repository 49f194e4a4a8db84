/**
 * Audit (attacker's view, with a store that fails once): a signed-in person's pre-open place is
 * bound before it is registered for the draw. When the registration fails (a store error, a
 * crash), the person's next join must not answer "you are in the draw" for a place the draw
 * does not know: it registers the place, or, once the draw froze without it, gives a new one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createOpeningGate } from '../../src/server/opening-gate.js';
import { createDrawSeed } from '../../src/server/opening-draw.js';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { adminCall, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';
import { createIdentitySite } from './support/identity-site.js';
import type { IdentitySite } from './support/identity-site.js';

describe('audit: a pre-open registration that failed after the person was bound', () => {
  let server: TestServer;
  let site: IdentitySite;
  before(async () => {
    server = await startTestServer({ rooms: {} });
    site = await createIdentitySite(server.clock.now);
  });
  after(() => server.close());

  const joinAs = async (room: string, sub: string) =>
    postJson(`${server.url}/rooms/${room}/join`, { identity: await site.assert({ sub }) });
  /** Makes the store's next pre-open registration fail, as a Redis timeout would. */
  const failNextRegistration = () => {
    const { store } = server;
    const register = store.registerPreOpen.bind(store);
    store.registerPreOpen = async () => {
      store.registerPreOpen = register;
      throw new Error('the store did not answer');
    };
  };

  it('registers the place at the next join, so the draw orders it', async () => {
    const opensAt = server.clock.now() + 60_000;
    const put = await adminCall(server, 'PUT', 'retry', {
      admitPerMinute: 0,
      opensAt,
      identity: site.identity,
    });
    assert.equal(put.status, 201);
    failNextRegistration();
    assert.equal((await joinAs('retry', 'alice')).status, 500);
    const retried = await joinAs('retry', 'alice');
    assert.equal(retried.status, 200);
    assert.equal(retried.json.pre, true, 'told she is in the draw');
    assert.equal((await joinAs('retry', 'bob')).json.pre, true);
    server.clock.advance(61_000);
    const drawn = await joinAs('retry', 'alice');
    const record = (await (await fetch(`${server.url}/rooms/retry/fairness`)).json()) as {
      draw: { entrants: string[]; entrantCount: number; base: number };
    };
    const sub = decodeJwt(retried.json.ticket).sub!;
    assert.ok(record.draw.entrants.includes(sub), 'and she is');
    assert.equal(record.draw.entrantCount, 2);
    assert.equal(decodeJwt(drawn.json.ticket).sub, sub, 'the same place');
    assert.ok(drawn.json.seq <= record.draw.base + 2, `seq ${drawn.json.seq} is in the draw`);
  });

  it('gives a place behind the draw when the draw froze before the retry', async () => {
    const opensAt = server.clock.now() + 60_000;
    await adminCall(server, 'PUT', 'late', { admitPerMinute: 0, opensAt, identity: site.identity });
    failNextRegistration();
    assert.equal((await joinAs('late', 'carol')).status, 500);
    assert.equal((await joinAs('late', 'dan')).json.pre, true);
    server.clock.advance(61_000);
    const after = await joinAs('late', 'carol');
    assert.equal(after.status, 200);
    assert.equal(after.json.pre, undefined);
    assert.equal(after.json.seq, 2, 'behind the one entrant of the draw');
  });

  it('keeps an entrant of a draw frozen for its beacon, in a process that never saw it register', async () => {
    const store = await MemoryStore.open();
    const opensAt = 1_000_000;
    const beacon = { id: 'local-test', round: 7 };
    await store.putRoomConfig('frozen', mergeRoomConfig(null, { opensAt, beacon }), 0);
    await store.commitDraw('frozen', {
      ...(await createDrawSeed()),
      committedAt: 0,
      opensAt,
      beacon,
    });
    assert.equal(await store.registerPreOpen('frozen', 'entrant', 1), true);
    assert.ok(await store.runDraw('frozen', opensAt), 'frozen, waiting for the beacon value');
    const otherProcess = createOpeningGate({ store, fetchBeacon: async () => null });
    assert.equal(await otherProcess.keepRegistered('frozen', 'entrant', opensAt + 1), true);
    assert.equal(await otherProcess.keepRegistered('frozen', 'stranger', opensAt + 1), false);
    assert.deepEqual((await store.getDraw('frozen'))?.entrants, ['entrant'], 'nobody added');
    await store.close();
  });
});
