/**
 * One person, one place, over real HTTP: the same identity from several devices (no ticket,
 * storage cleared) gets the same place; another person another one; a ticket brought along is
 * kept or released by the "better place" rule; a required room refuses anonymous joins; the
 * identity hash differs between rooms; a booking backend refuses A's admission for B.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { identityHash, verifyAdmission } from '../../src/verify/index.js';
import { adminCall, admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { createIdentitySite, SITE_ISSUER } from './support/identity-site.js';
import type { IdentitySite } from './support/identity-site.js';

describe('one person, one place', () => {
  let server: TestServer;
  let site: IdentitySite;
  let room = '';
  let rooms = 0;
  before(async () => {
    server = await startTestServer();
    site = await createIdentitySite(server.clock.now);
  });
  after(() => server.close());
  /** A fresh room per test, so seqs start at 1. */
  beforeEach(async () => {
    room = `room${(rooms += 1)}`;
    const put = await adminCall(server, 'PUT', room, {
      admitPerMinute: 0,
      identity: site.identity,
    });
    assert.equal(put.status, 201);
  });

  const joinAs = async (sub: string | null, ticket?: string, inRoom = room) => {
    const body = {
      ...(sub === null ? {} : { identity: await site.assert({ sub }) }),
      ...(ticket === undefined ? {} : { ticket }),
    };
    return postJson(`${server.url}/rooms/${inRoom}/join`, body);
  };
  const advance = (by: number) => adminCall(server, 'POST', `${room}/advance`, { by });
  const hashKeyOf = async (name: string) =>
    ((await (await adminCall(server, 'GET', name)).json()) as LooseJson).config.identity
      .hashKey as string;

  it('gives the same place to the same person on every device, and another to another person', async () => {
    const phone = await joinAs('alice');
    assert.equal(phone.status, 200);
    const laptop = await joinAs('alice'); // another browser: no ticket
    const cleared = await joinAs('alice'); // storage cleared: no ticket either
    assert.equal(laptop.json.seq, phone.json.seq);
    assert.equal(cleared.json.seq, phone.json.seq);
    const bob = await joinAs('bob');
    assert.notEqual(bob.json.seq, phone.json.seq);
    // Every ticket handed out is valid for the place, and names the person by hash only.
    const claims = decodeJwt(laptop.json.ticket);
    assert.equal(claims['idh'], decodeJwt(phone.json.ticket)['idh']);
    assert.equal(claims.sub, decodeJwt(phone.json.ticket).sub, 'one place, one sub');
    assert.ok(!laptop.json.ticket.includes('alice') && !JSON.stringify(claims).includes('alice'));
    const expected = await identityHash({
      hashKey: await hashKeyOf(room),
      issuer: SITE_ISSUER,
      sub: 'alice',
    });
    assert.equal(claims['idh'], expected);
    assert.equal((await join(server, room, laptop.json.ticket)).json.seq, phone.json.seq);
    // An admission from either device is the same one (one place, one claim).
    await advance(phone.json.seq);
    const first = await admit(server, phone.json.ticket, room);
    const second = await admit(server, cleared.json.ticket, room);
    assert.equal(first.status, 200);
    assert.equal(second.json.admission, first.json.admission);
    assert.equal(decodeJwt(first.json.admission)['idh'], expected);
  });

  it('binds an anonymous place to a person who signs in without one', async () => {
    const anonymous = await join(server, room);
    const signedIn = await joinAs('carol', anonymous.json.ticket);
    assert.equal(signedIn.json.seq, anonymous.json.seq, 'the place is kept');
    assert.ok(decodeJwt(signedIn.json.ticket)['idh'], 'and now bound');
    assert.equal((await joinAs('carol')).json.seq, anonymous.json.seq, 'found again on any device');
    assert.equal((await join(server, room, anonymous.json.ticket)).status, 200, 'not released');
  });

  it("keeps the person's earlier place and releases the ticket's later one (410 on its admit)", async () => {
    const bound = await joinAs('dave');
    const later = await join(server, room);
    const answer = await joinAs('dave', later.json.ticket);
    assert.equal(answer.json.seq, bound.json.seq);
    await advance(later.json.seq);
    const refused = await admit(server, later.json.ticket, room);
    assert.equal(refused.status, 410);
    assert.equal(refused.json.error.code, 'place_released');
    assert.match(refused.json.error.message, /given up for another place of the same person/);
    assert.equal((await join(server, room, later.json.ticket)).json.error.code, 'place_released');
    assert.equal((await admit(server, answer.json.ticket, room)).status, 200);
  });

  it("keeps the ticket's earlier place and releases the person's later one", async () => {
    const earlier = await join(server, room);
    const bound = await joinAs('erin');
    assert.ok(bound.json.seq > earlier.json.seq);
    const answer = await joinAs('erin', earlier.json.ticket);
    assert.equal(answer.json.seq, earlier.json.seq, 'the better place is kept');
    assert.equal((await joinAs('erin')).json.seq, earlier.json.seq, 'and is now the bound one');
    const old = await join(server, room, bound.json.ticket);
    assert.equal(old.status, 410);
    assert.equal(old.json.error.code, 'place_released');
  });

  it('ignores a ticket bound to another person: never released, never taken', async () => {
    const frank = await joinAs('frank');
    const grace = await joinAs('grace', frank.json.ticket);
    assert.notEqual(grace.json.seq, frank.json.seq);
    assert.equal((await join(server, room, frank.json.ticket)).json.seq, frank.json.seq);
    assert.equal((await joinAs('frank')).json.seq, frank.json.seq);
  });

  it('gives a fresh place at the back once the bound place is dead (its hold ran out)', async () => {
    const first = await joinAs('heidi');
    await join(server, room);
    await advance(2);
    server.clock.advance(301_000); // past the 300 s hold
    const again = await joinAs('heidi');
    assert.equal(again.status, 200);
    assert.ok(again.json.seq > 2, `a new place at the back, got ${again.json.seq}`);
    assert.equal((await joinAs('heidi')).json.seq, again.json.seq, 'the binding moved to it');
    assert.equal((await admit(server, first.json.ticket, room)).json.error.code, 'hold_expired');
  });

  it('hashes one person differently in two rooms', async () => {
    const other = `${room}b`;
    await adminCall(server, 'PUT', other, { admitPerMinute: 0, identity: site.identity });
    const here = decodeJwt((await joinAs('ivan')).json.ticket)['idh'];
    const there = decodeJwt((await joinAs('ivan', undefined, other)).json.ticket)['idh'];
    assert.equal(typeof here, 'string');
    assert.notEqual(here, there);
    assert.notEqual(await hashKeyOf(room), await hashKeyOf(other));
  });

  it("lets the booking backend refuse A's admission presented for B (token_wrong_identity)", async () => {
    const alice = await joinAs('alice');
    const anonymous = await join(server, room);
    await advance(anonymous.json.seq);
    const admission = (await admit(server, alice.json.ticket, room)).json.admission as string;
    const unbound = (await admit(server, anonymous.json.ticket, room)).json.admission as string;
    const hashKey = await hashKeyOf(room);
    const options = (sub: string) => ({
      jwks: server.service.jwks(),
      issuer: server.url,
      audience: server.url,
      room,
      now: server.clock.now,
      identity: { sub, issuer: SITE_ISSUER, hashKey },
    });
    assert.equal((await verifyAdmission(admission, options('alice'))).seq, alice.json.seq);
    await assert.rejects(verifyAdmission(admission, options('bob')), {
      code: 'token_wrong_identity',
    });
    await assert.rejects(verifyAdmission(unbound, options('alice')), {
      code: 'token_wrong_identity',
    });
    const { identity: _, ...unchecked } = options('bob');
    assert.equal((await verifyAdmission(admission, unchecked)).seq, alice.json.seq);
  });
});

describe('identityRequired', () => {
  let server: TestServer;
  let site: IdentitySite;
  before(async () => {
    server = await startTestServer();
    site = await createIdentitySite(server.clock.now);
    await adminCall(server, 'PUT', 'strict', { admitPerMinute: 0, identity: site.identity });
  });
  after(() => server.close());

  it('refuses anonymous joins and admits with 401 identity_required; bound tickets need no identity', async () => {
    const anonymous = await join(server, 'strict'); // taken while the room was optional
    const bound = await postJson(`${server.url}/rooms/strict/join`, {
      identity: await site.assert({ sub: 'judy' }),
    });
    await adminCall(server, 'PUT', 'strict', { identityRequired: true });
    const refused = await join(server, 'strict');
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error.code, 'identity_required');
    assert.equal(refused.json.error.token, undefined, 'not about an assertion sent');
    assert.match(refused.json.error.message, /sign in/i);
    assert.equal(
      (await join(server, 'strict', anonymous.json.ticket)).json.error.code,
      'identity_required',
    );
    const rejoined = await join(server, 'strict', bound.json.ticket);
    assert.equal(rejoined.json.seq, bound.json.seq);
    assert.equal(rejoined.json.identity, 'required');
    await adminCall(server, 'POST', 'strict/advance', { by: 2 });
    assert.equal(
      (await admit(server, anonymous.json.ticket, 'strict')).json.error.code,
      'identity_required',
    );
    assert.equal((await admit(server, bound.json.ticket, 'strict')).status, 200);
    // Signing in brings the anonymous place in: it is bound, and admitted.
    const signedIn = await postJson(`${server.url}/rooms/strict/join`, {
      identity: await site.assert({ sub: 'mallory' }),
      ticket: anonymous.json.ticket,
    });
    assert.equal(signedIn.json.seq, anonymous.json.seq);
    assert.equal((await admit(server, signedIn.json.ticket, 'strict')).status, 200);
  });
});
