/**
 * A draw bound to a public beacon round, over real HTTP: the commitment names the round when the
 * opening is scheduled, the opening freezes the entrants and orders nobody until the admin (or
 * the beacon itself, here a local stand-in) supplies the round's value, and the order is then
 * the one the seed and that value give: another value would give another order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import { drawnSeqs } from '../../src/server/opening-draw.js';
import {
  BEACON,
  BEACON_SEED as SEED,
  BEACON_VALUE as VALUE,
  OTHER_BEACON_VALUE as OTHER_VALUE,
  fairnessNow as fairness,
  openBeaconRoom,
  startBeaconServer,
  supplyBeacon as supply,
} from './helpers/beacon-opening.js';
import { adminCall, admit, join, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { startStandInBeacon } from './helpers/stand-in-beacon.js';
import type { StandInBeacon } from './helpers/stand-in-beacon.js';

const ENTRANTS = 12;

const errorOf = async (response: Response) => [
  response.status,
  ((await response.json()) as LooseJson).error.code,
];

/** The seq each pre-open ticket's rejoin answers, by `sub`. */
async function rejoinAll(server: TestServer, room: string, tickets: readonly string[]) {
  const seqs = new Map<string, number>();
  for (const ticket of tickets) {
    const answer = await join(server, room, ticket);
    assert.equal(answer.status, 200);
    seqs.set(decodeJwt(ticket).sub!, answer.json.seq);
  }
  return seqs;
}

describe('a draw bound to a beacon round', () => {
  let server: TestServer;
  let scheduled: LooseJson;
  let tickets: string[];

  before(async () => {
    server = await startBeaconServer();
    ({ tickets, scheduled } = await openBeaconRoom(server, 'launch', ENTRANTS, {
      admitPerMinute: 600,
    }));
  });
  after(() => server.close());

  it('names the round in the signed commitment when the opening is scheduled; it never changes', async () => {
    assert.deepEqual(decodeJwt(scheduled.signed.commitment).beacon, BEACON);
    assert.deepEqual(scheduled.draw.beacon, { ...BEACON, value: null });
    const moved = await adminCall(server, 'PUT', 'launch', { beacon: { ...BEACON, round: 1001 } });
    assert.deepEqual(await errorOf(moved), [409, 'beacon_conflict']);
    const dropped = await adminCall(server, 'PUT', 'launch', { beacon: null });
    assert.deepEqual(await errorOf(dropped), [409, 'beacon_conflict']);
    assert.equal((await adminCall(server, 'PUT', 'launch', { beacon: BEACON })).status, 200);
    const invalid = await adminCall(server, 'PUT', 'other', { beacon: { id: 'x', round: 0 } });
    assert.deepEqual(await errorOf(invalid), [400, 'invalid_body']);
  });

  it('freezes the entrants at the opening, keeps them pre-open and calls no seq until the value comes', async () => {
    const newcomer = await join(server, 'launch');
    assert.equal(newcomer.json.seq, ENTRANTS + 1, 'a newcomer is behind the frozen draw');
    for (const ticket of tickets.slice(0, 3)) {
      const again = await join(server, 'launch', ticket);
      assert.equal(again.status, 200);
      assert.equal(again.json.pre, true, 'still on the pre-open screen');
      assert.equal(again.json.seq, 0);
    }
    const early = await admit(server, tickets[0]!, 'launch');
    assert.deepEqual([early.status, early.json.error.code], [409, 'not_your_turn']);
    for (let i = 0; i < 5; i += 1) {
      server.clock.advance(10_000);
      await server.service.tick();
    }
    await adminCall(server, 'POST', 'launch/advance', { by: 5 });
    const stats = await (await adminCall(server, 'GET', 'launch')).json();
    assert.equal(stats.serving, 0, 'no seq of the draw is called while nobody holds it');
    assert.equal(stats.preOpen, ENTRANTS);
    const record = await fairness(server, 'launch');
    assert.equal(record.draw.entrantCount, ENTRANTS);
    assert.deepEqual(record.draw.beacon, { ...BEACON, value: null });
    assert.deepEqual(decodeJwt(record.signed.reveal).beacon, { ...BEACON, value: null });
  });

  it('refuses a wrong round, a malformed value, a room without a beacon, an early value', async () => {
    const cases: Array<[string, unknown, number, string]> = [
      ['launch', { round: 999, value: VALUE }, 400, 'invalid_body'],
      ['launch', { round: BEACON.round, value: 'not hex' }, 400, 'invalid_body'],
      ['launch', { round: BEACON.round, value: 'abcd' }, 400, 'invalid_body'],
      ['launch', { round: BEACON.round }, 400, 'invalid_body'],
      ['nowhere', { round: BEACON.round, value: VALUE }, 404, 'room_not_found'],
    ];
    await adminCall(server, 'PUT', 'plain', { opensAt: server.clock.now() + 60_000 });
    cases.push(['plain', { round: BEACON.round, value: VALUE }, 409, 'beacon_not_configured']);
    await adminCall(server, 'PUT', 'later', {
      opensAt: server.clock.now() + 60_000,
      beacon: BEACON,
    });
    cases.push(['later', { round: BEACON.round, value: VALUE }, 409, 'beacon_too_early']);
    for (const [room, body, status, code] of cases) {
      assert.deepEqual(await errorOf(await supply(server, room, body)), [status, code], room);
    }
    const anonymous = await fetch(`${server.url}/admin/rooms/launch/beacon`, { method: 'POST' });
    assert.equal(anonymous.status, 401);
  });

  it('orders the draw from the seed and the value; another value would order it otherwise', async () => {
    const taken = await supply(server, 'launch', {
      round: BEACON.round,
      value: VALUE.toUpperCase(),
    });
    assert.equal(taken.status, 200);
    const answer = (await taken.json()) as LooseJson;
    assert.deepEqual(answer.beacon, { ...BEACON, value: VALUE });
    assert.equal(answer.entrantCount, ENTRANTS);
    const seqs = await rejoinAll(server, 'launch', tickets);
    const subs = [...seqs.keys()];
    assert.deepEqual(seqs, await drawnSeqs(SEED, subs, 0, VALUE), 'seed and beacon value');
    assert.notDeepEqual(seqs, await drawnSeqs(SEED, subs, 0, OTHER_VALUE), 'another value');
    assert.notDeepEqual(seqs, await drawnSeqs(SEED, subs, 0), 'the seed alone');
    assert.equal(
      (await supply(server, 'launch', { round: BEACON.round, value: VALUE })).status,
      200,
    );
    const changed = await supply(server, 'launch', { round: BEACON.round, value: OTHER_VALUE });
    assert.deepEqual(await errorOf(changed), [409, 'beacon_conflict']);
    assert.deepEqual(await rejoinAll(server, 'launch', tickets), seqs, 'never reordered');
    server.clock.advance(10_000);
    await server.service.tick();
    const stats = await (await adminCall(server, 'GET', 'launch')).json();
    assert.ok(stats.serving > 0, 'the line moves once the draw is ordered');
    assert.equal(stats.preOpen, 0);
    const record = await fairness(server, 'launch');
    assert.deepEqual(record.draw.beacon, { ...BEACON, value: VALUE });
    assert.deepEqual(decodeJwt(record.signed.reveal).beacon, { ...BEACON, value: VALUE });
  });
});

describe('a draw that fetches its beacon round from the beacon (a local stand-in)', () => {
  let server: TestServer;
  let beacon: StandInBeacon;

  before(async () => {
    server = await startTestServer({ rooms: {} });
    beacon = await startStandInBeacon();
  });
  after(async () => {
    await server.close();
    await beacon.close();
  });

  it('waits while the round is not published, then orders with the published value', async () => {
    const round = 77;
    const put = await adminCall(server, 'PUT', 'fetched', {
      admitPerMinute: 0,
      opensAt: server.clock.now() + 60_000,
      beacon: { id: 'stand-in', round, url: `${beacon.url}/` },
    });
    assert.equal(put.status, 201);
    const tickets: string[] = [];
    for (let i = 0; i < 4; i += 1) tickets.push((await join(server, 'fetched')).json.ticket);
    server.clock.advance(61_000);
    await server.service.tick(); // freezes the draw and asks the beacon, in the background
    const stillPre = async () => (await join(server, 'fetched', tickets[0])).json.pre === true;
    const asked = `/public/${round}`;
    const deadline = Date.now() + 10_000;
    while (!beacon.asked.includes(asked) && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 20));
    }
    assert.ok(beacon.asked.includes(asked), 'the server asked the beacon for the round');
    assert.equal(await stillPre(), true, 'no value published: the draw keeps waiting');

    beacon.publish(round, VALUE);
    while ((await stillPre()) && Date.now() < deadline) {
      server.clock.advance(1100); // past the gate's next look
      await server.service.tick();
      await new Promise((done) => setTimeout(done, 20));
    }
    const seqs = await rejoinAll(server, 'fetched', tickets);
    assert.deepEqual(
      seqs,
      await drawnSeqs((await server.store.getDraw('fetched'))!.seed, [...seqs.keys()], 0, VALUE),
    );
    const record = await fairness(server, 'fetched');
    assert.equal(record.draw.beacon.value, VALUE);
  });
});

describe("the mocks' simulator, which runs the same rules", () => {
  it('takes the beacon setting through roomSettings and refuses a malformed one alike', async () => {
    const now = Date.UTC(2026, 0, 1, 9, 0, 0);
    const simulator = createQueueSimulator({
      room: 'launch',
      now: () => now,
      opensAt: now + 60_000,
      roomSettings: { beacon: BEACON },
    });
    const answer = await simulator.handle(new Request('http://q.test/rooms/launch/fairness'));
    const record = (await answer.json()) as LooseJson;
    assert.deepEqual(record.draw.beacon, { ...BEACON, value: null });
    assert.deepEqual(decodeJwt(record.signed.commitment).beacon, BEACON);
    const wrong = createQueueSimulator({ roomSettings: { beacon: { ...BEACON, round: -1 } } });
    await assert.rejects(
      wrong.handle(new Request('http://q.test/rooms/demo/state')),
      /beacon.round must be a positive integer/,
    );
  });
});
