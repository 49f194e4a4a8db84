/**
 * Audit (attacker's view): a ticket taken anonymously and then bound to a person by signing in
 * is re-signed with the person's `idh`, but the anonymous copy it had still verifies. Another
 * signed-in person who holds that copy (a shared computer, a reseller who sold it) must not be
 * able to take the place too, nor have it released under its owner (docs/identity.md: "a
 * ticket bound to another person: ignored, never released, never taken").
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { adminCall, admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';
import { createIdentitySite } from './support/identity-site.js';
import type { IdentitySite } from './support/identity-site.js';

describe('audit: the anonymous copy of a place another person bound', () => {
  let server: TestServer;
  let site: IdentitySite;
  let room = '';
  let rooms = 0;
  before(async () => {
    server = await startTestServer();
    site = await createIdentitySite(server.clock.now);
  });
  after(() => server.close());
  beforeEach(async () => {
    room = `stale${(rooms += 1)}`;
    const put = await adminCall(server, 'PUT', room, {
      admitPerMinute: 0,
      identity: site.identity,
    });
    assert.equal(put.status, 201);
  });

  const joinAs = async (sub: string, ticket?: string) =>
    postJson(`${server.url}/rooms/${room}/join`, {
      identity: await site.assert({ sub }),
      ...(ticket === undefined ? {} : { ticket }),
    });
  const advance = (by: number) => adminCall(server, 'POST', `${room}/advance`, { by });

  it("cannot release the owner's place: the owner still gets it and is admitted", async () => {
    const mallory = await joinAs('mallory'); // seq 1: better than the place she attacks
    const anonymous = await join(server, room); // Alice's browser, before she signed in
    const alice = await joinAs('alice', anonymous.json.ticket);
    assert.equal(alice.json.seq, anonymous.json.seq, 'Alice bound her place');
    const attack = await joinAs('mallory', anonymous.json.ticket);
    assert.equal(attack.json.seq, mallory.json.seq, 'Mallory keeps her own place');
    const again = await joinAs('alice');
    assert.equal(again.json.seq, anonymous.json.seq);
    await advance(anonymous.json.seq);
    const admitted = await admit(server, again.json.ticket, room);
    assert.equal(admitted.status, 200, `Alice is admitted, not ${admitted.json.error?.code}`);
  });

  it('cannot take the place too: the stranger keeps only her own', async () => {
    const anonymous = await join(server, room); // seq 1
    const alice = await joinAs('alice', anonymous.json.ticket);
    const mallory = await joinAs('mallory'); // seq 2
    const attack = await joinAs('mallory', anonymous.json.ticket);
    assert.equal(attack.json.seq, mallory.json.seq, 'Mallory is not bound to Alice’s place');
    assert.equal((await joinAs('mallory')).json.seq, mallory.json.seq);
    await advance(mallory.json.seq);
    assert.equal((await admit(server, mallory.json.ticket, room)).status, 200, 'not released');
    assert.equal((await admit(server, alice.json.ticket, room)).status, 200);
  });

  it('cannot release a draw entry another person bound before the opening', async () => {
    const opensAt = server.clock.now() + 60_000;
    const put = await adminCall(server, 'PUT', room, { opensAt, admitPerMinute: 0 });
    assert.equal(put.status, 200);
    const anonymous = await join(server, room);
    assert.equal(anonymous.json.pre, true);
    await joinAs('alice', anonymous.json.ticket);
    await joinAs('mallory'); // her own draw entry
    await joinAs('mallory', anonymous.json.ticket); // two entries: one would be released
    server.clock.advance(61_000);
    const drawn = await joinAs('alice');
    assert.ok(drawn.json.seq > 0, 'the draw ran');
    await advance(2);
    const admitted = await admit(server, drawn.json.ticket, room);
    assert.equal(admitted.status, 200, `Alice is admitted, not ${admitted.json.error?.code}`);
  });

  it('still lets the first person to bring an anonymous ticket bind it, and bring it again', async () => {
    const anonymous = await join(server, room);
    assert.equal((await joinAs('carol', anonymous.json.ticket)).json.seq, anonymous.json.seq);
    const again = await joinAs('carol', anonymous.json.ticket);
    assert.equal(again.json.seq, anonymous.json.seq);
    assert.equal((await join(server, room, anonymous.json.ticket)).status, 200, 'not released');
  });
});
