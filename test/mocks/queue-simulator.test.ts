import { expect } from '@open-wc/testing';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import { decodeMockToken } from '../../src/mocks/mock-token.js';
import {
  LIMITS,
  TOKEN_TYPES,
  pollIntervalFor,
  type JoinResponse,
  type AdmitResponse,
  type StateResponse,
} from '../../src/protocol.js';
import { ORIGIN, admit, codeOf, join, joinOk, manualClock, state } from './protocol-calls.js';

function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(atob(token.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))) as Record<
    string,
    unknown
  >;
}

describe('queue simulator: join', () => {
  it('gives a new visitor the next place with every field of a join answer', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ serving: 10, issued: 40, ratePerSec: 0, now: clock.now });
    const joined = await joinOk(sim);
    expect(joined.seq).to.equal(41);
    expect(joined.serving).to.equal(10);
    expect(joined.position).to.equal(31);
    expect(joined.ratePerSec).to.equal(0);
    expect(joined.pollAfterMs).to.equal(pollIntervalFor(31, 0, 2000));
    expect(joined.ticketExpiresAt).to.equal(Math.floor(clock.t / 1000) * 1000 + 86_400_000);
    expect(joined.holdSeconds).to.equal(600);
    expect(joined.status).to.equal('open');
    expect((await sim.snapshot()).issued).to.equal(41);
  });

  it('issues a JWT-shaped ticket with the ticket type and claims', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ room: 'concert', issued: 4, now: clock.now });
    const joined = (await (await join(sim, {}, 'concert')).json()) as { ticket: string };
    expect(joined.ticket.split('.')).to.have.length(3);
    expect(headerOf(joined.ticket).typ).to.equal(TOKEN_TYPES.ticket);
    const claims = decodeMockToken(joined.ticket);
    expect(claims).to.include({ room: 'concert', seq: 5, iss: 'queue-gate-mock' });
    expect(claims?.exp).to.equal((claims?.iat as number) + 86400);
    expect(claims?.sub).to.be.a('string').and.not.equal('');
  });

  it('returns the same place when a visitor joins again with their ticket', async () => {
    const sim = createQueueSimulator({ issued: 7, now: manualClock().now });
    const first = await joinOk(sim);
    await joinOk(sim); // someone else
    const again = await joinOk(sim, first.ticket);
    expect(again.seq).to.equal(first.seq);
    expect(again.ticket).to.equal(first.ticket);
    expect((await sim.snapshot()).issued).to.equal(9);
  });

  it('refuses a tampered ticket as a bad signature and a non-JWT as malformed', async () => {
    const sim = createQueueSimulator({ now: manualClock().now });
    const { ticket } = await joinOk(sim);
    const [header, payload] = ticket.split('.');
    const forgedPayload = btoa(
      JSON.stringify({ ...decodeMockToken(ticket), seq: 1_000_000 }),
    ).replace(/=+$/, '');
    const tampered = await join(sim, {
      ticket: `${header}.${forgedPayload}.${ticket.split('.')[2]}`,
    });
    expect(tampered.status).to.equal(401);
    expect(await codeOf(tampered)).to.equal('token_bad_signature');
    const resigned = await join(sim, { ticket: `${header}.${payload}.Zm9yZ2Vk` });
    expect(await codeOf(resigned)).to.equal('token_bad_signature');
    const malformed = await join(sim, { ticket: 'not-a-token' });
    expect(malformed.status).to.equal(401);
    expect(await codeOf(malformed)).to.equal('token_malformed');
  });

  it('renews a ticket past its lifetime while its place is live, as the real server does', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ ticketTtlSeconds: 60, now: clock.now });
    const first = await joinOk(sim);
    clock.tick(61_000);
    const renewed = await join(sim, { ticket: first.ticket });
    expect(renewed.status).to.equal(200);
    const body = (await renewed.json()) as JoinResponse;
    expect(body.seq).to.equal(first.seq);
    expect(body.ticket).to.not.equal(first.ticket);
  });

  it('refuses every presented ticket with the chosen code while rejectTickets is on', async () => {
    const sim = createQueueSimulator({ now: manualClock().now });
    const { ticket } = await joinOk(sim);
    sim.rejectTickets('token_expired');
    expect(await codeOf(await join(sim, { ticket }))).to.equal('token_expired');
    sim.rejectTickets('token_bad_signature');
    const refused = await admit(sim, ticket);
    expect(refused.status).to.equal(401);
    expect(await codeOf(refused)).to.equal('token_bad_signature');
    expect((await join(sim)).status, 'a fresh join still works').to.equal(200);
    sim.rejectTickets(null);
    expect((await join(sim, { ticket })).status).to.equal(200);
  });

  it('stops refusing after a refused visitor joins afresh when untilRejoin is set', async () => {
    const sim = createQueueSimulator({ now: manualClock().now });
    const { ticket } = await joinOk(sim);
    sim.rejectTickets('token_expired', { untilRejoin: true });
    const beforeRefusal = await joinOk(sim); // a fresh join before any refusal changes nothing
    expect(await codeOf(await join(sim, { ticket: beforeRefusal.ticket }))).to.equal(
      'token_expired',
    );
    const rejoined = await joinOk(sim);
    expect((await join(sim, { ticket: rejoined.ticket })).status).to.equal(200);
    expect((await join(sim, { ticket })).status, 'old tickets are honoured again too').to.equal(
      200,
    );
  });

  it('answers 400 to bad JSON, 413 to an oversized body and 415 to a body that is not JSON', async () => {
    const sim = createQueueSimulator();
    const bad = await join(sim, '{"ticket":');
    expect(bad.status).to.equal(400);
    expect(await codeOf(bad)).to.equal('invalid_body');
    expect(await codeOf(await join(sim, '[1,2]'))).to.equal('invalid_body');
    expect(await codeOf(await join(sim, { ticket: 42 }))).to.equal('invalid_body');
    const big = await join(sim, { pad: 'x'.repeat(LIMITS.maxBodyBytes) });
    expect(big.status).to.equal(413);
    expect(await codeOf(big)).to.equal('body_too_large');
    const plain = await sim.fetch(`${ORIGIN}/rooms/demo/join`, { method: 'POST', body: '{}' });
    expect(plain.status).to.equal(415);
    expect(await codeOf(plain)).to.equal('unsupported_media_type');
    expect((await sim.snapshot()).issued, 'no place was taken').to.equal(0);
    const empty = await sim.fetch(`${ORIGIN}/rooms/demo/join`, { method: 'POST' });
    expect(empty.status, 'an empty body reads as {}').to.equal(200);
  });

  it('refuses new visitors of a closed room but tells ticket holders it closed', async () => {
    const sim = createQueueSimulator({ now: manualClock().now });
    const { ticket } = await joinOk(sim);
    sim.setStatus('closed');
    const fresh = await join(sim);
    expect(fresh.status).to.equal(403);
    expect(await codeOf(fresh)).to.equal('room_closed');
    const holder = await joinOk(sim, ticket);
    expect(holder.status).to.equal('closed');
  });
});

describe('queue simulator: room settings as the admin API takes them', () => {
  it('applies them: a room with cohorts refuses a join without one and places one with it', async () => {
    const sim = createQueueSimulator({
      now: manualClock().now,
      roomSettings: { cohorts: [{ id: 'a', opensAt: 0, closesAt: null }] },
    });
    const withoutCohort = await join(sim);
    expect(withoutCohort.status).to.equal(400);
    const joined = await join(sim, { cohort: 'a' });
    expect(joined.status).to.equal(200);
    expect(((await joined.json()) as JoinResponse).seq).to.equal(1);
  });

  it("refuses an invalid one with the server's own message", async () => {
    const sim = createQueueSimulator({
      now: manualClock().now,
      roomSettings: { maxActive: 'lots' },
    });
    let message = '';
    await sim.handle(new Request(`${ORIGIN}/rooms/demo/state`)).catch((error: Error) => {
      message = error.message;
    });
    expect(message).to.match(/maxActive must be an integer/);
  });
});

describe('queue simulator: admit', () => {
  it('refuses admission before the turn and grants it once serving reaches the seq', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ serving: 3, issued: 5, now: clock.now });
    const joined = await joinOk(sim);
    const early = await admit(sim, joined.ticket);
    expect(early.status).to.equal(409);
    expect(await codeOf(early)).to.equal('not_your_turn');
    sim.advance(3);
    const granted = await admit(sim, joined.ticket);
    expect(granted.status).to.equal(200);
    const body = (await granted.json()) as AdmitResponse;
    expect(headerOf(body.admission).typ).to.equal(TOKEN_TYPES.admission);
    const claims = decodeMockToken(body.admission);
    const ticketClaims = decodeMockToken(joined.ticket);
    expect(claims).to.include({
      seq: 6,
      room: 'demo',
      aud: 'queue-gate-demo',
      sub: ticketClaims?.sub,
    });
    expect(claims?.jti).to.be.a('string').and.not.equal('');
    expect(body.expiresAt).to.equal(((claims?.iat as number) + 120) * 1000);
  });

  it('returns the same admission for the same ticket while it lives', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ serving: 10, issued: 1, now: clock.now });
    const { ticket } = await joinOk(sim);
    const first = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    clock.tick(60_000);
    const second = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    expect(second.admission).to.equal(first.admission);
    expect(second.expiresAt).to.equal(first.expiresAt);
    expect(second.serverTime, 'the answer tells the clock of its own moment').to.equal(
      (first.serverTime ?? 0) + 60_000,
    );
    clock.tick(61_000);
    const renewed = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    expect(renewed.admission).to.not.equal(first.admission);
  });

  it('issues a fresh admission after expireAdmissions', async () => {
    const sim = createQueueSimulator({ serving: 10, issued: 1, now: manualClock().now });
    const { ticket } = await joinOk(sim);
    const first = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    sim.expireAdmissions();
    const second = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    expect(second.admission).to.not.equal(first.admission);
    expect(decodeMockToken(second.admission)?.jti).to.not.equal(
      decodeMockToken(first.admission)?.jti,
    );
  });

  it('answers not_your_turn while paused to visitors not yet served, and room_closed once closed', async () => {
    const sim = createQueueSimulator({ serving: 0, now: manualClock().now });
    const { ticket } = await joinOk(sim);
    sim.setStatus('paused');
    const paused = await admit(sim, ticket);
    expect(paused.status).to.equal(409);
    expect(await codeOf(paused)).to.equal('not_your_turn');
    sim.setStatus('closed');
    const closed = await admit(sim, ticket);
    expect(closed.status).to.equal(403);
    expect(await codeOf(closed)).to.equal('room_closed');
  });

  it('still admits a visitor whose turn came before the pause', async () => {
    const sim = createQueueSimulator({ serving: 10, now: manualClock().now });
    const { ticket } = await joinOk(sim);
    sim.setStatus('paused');
    const served = await admit(sim, ticket);
    expect(served.status).to.equal(200);
  });

  it('holds a passed turn for holdSeconds, counted from when the turn came', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ issued: 0, ratePerSec: 1, holdSeconds: 30, now: clock.now });
    await joinOk(sim);
    const mine = await joinOk(sim); // seq 2: reached after 2 s of movement
    clock.tick(33_000); // nobody asked in between: the turn still dates from +2 s, so the hold ended at +32 s
    const late = await admit(sim, mine.ticket);
    expect(late.status).to.equal(410);
    expect(await codeOf(late)).to.equal('hold_expired');

    const other = createQueueSimulator({
      issued: 0,
      ratePerSec: 1,
      holdSeconds: 30,
      now: clock.now,
    });
    await joinOk(other);
    const inTime = await joinOk(other);
    clock.tick(31_000); // turn came at +2 s, so +31 s is 29 s into the hold
    expect((await admit(other, inTime.ticket)).status).to.equal(200);
  });

  it('asks for a ticket when none is sent and refuses an admission used as a ticket', async () => {
    const sim = createQueueSimulator({ serving: 5, now: manualClock().now });
    const missing = await sim.fetch(`${ORIGIN}/rooms/demo/admit`, { method: 'POST' });
    expect(missing.status).to.equal(401);
    expect(await codeOf(missing)).to.equal('token_missing');
    const { ticket } = await joinOk(sim);
    const { admission } = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    const swapped = await admit(sim, admission);
    expect(swapped.status).to.equal(401);
    expect(await codeOf(swapped)).to.equal('token_wrong_type');
  });
});

describe('queue simulator: state', () => {
  it('answers the room state with Cache-Control and an ETag', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ serving: 3, issued: 9, pollAfterMs: 3000, now: clock.now });
    const response = await state(sim);
    expect(response.status).to.equal(200);
    expect(response.headers.get('Cache-Control')).to.match(/public/);
    expect(response.headers.get('ETag')).to.be.a('string');
    const body = (await response.json()) as StateResponse;
    expect(body).to.deep.equal({
      status: 'open',
      serving: 3,
      issued: 9,
      ratePerSec: 0,
      pollAfterMs: 3000,
      updatedAt: clock.t,
    });
  });

  it('answers 304 to a matching If-None-Match and 200 once the line moved', async () => {
    const sim = createQueueSimulator({ serving: 3, issued: 9, now: manualClock().now });
    const etag = (await state(sim)).headers.get('ETag') as string;
    const unchanged = await state(sim, { 'If-None-Match': etag });
    expect(unchanged.status).to.equal(304);
    expect(await unchanged.text()).to.equal('');
    sim.advance(1);
    const moved = await state(sim, { 'If-None-Match': etag });
    expect(moved.status).to.equal(200);
    expect(moved.headers.get('ETag')).to.not.equal(etag);
    expect(((await moved.json()) as StateResponse).serving).to.equal(4);
  });
});

describe('queue simulator: movement', () => {
  it('moves serving with the injected clock through admission control, up to issued', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ serving: 0, issued: 10, ratePerSec: 2, now: clock.now });
    expect((await sim.snapshot()).serving).to.equal(0);
    clock.tick(1500);
    expect((await sim.snapshot()).serving).to.be.within(1, 10);
    clock.tick(60_000);
    expect((await sim.snapshot()).serving, 'an empty line banks no capacity').to.equal(10);
    const joined = await joinOk(sim);
    expect(joined.position).to.equal(1);
    clock.tick(500);
    expect((await sim.snapshot()).serving).to.equal(11);
  });

  it('stands still while paused and moves faster after setSpeed', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ serving: 0, issued: 1000, ratePerSec: 2, now: clock.now });
    sim.setStatus('paused');
    clock.tick(10_000);
    expect((await sim.snapshot()).serving).to.equal(0);
    expect(((await (await state(sim)).json()) as StateResponse).ratePerSec).to.equal(0);
    sim.setStatus('open');
    sim.setSpeed(10);
    clock.tick(1000);
    const moved = (await sim.snapshot()).serving;
    expect(moved, 'ten simulated seconds').to.be.at.least(20);
    // Answers report the rate the server measured.
    expect(((await (await state(sim)).json()) as StateResponse).ratePerSec).to.be.greaterThan(0);
    sim.setRate(0);
    clock.tick(5000);
    expect(await sim.snapshot()).to.include({ serving: moved, ratePerSec: 0, speed: 10 });
  });

  it('scales the join poll interval with the distance from the front', async () => {
    const sim = createQueueSimulator({ serving: 0, issued: 100_000, ratePerSec: 50 });
    const far = await joinOk(sim);
    expect(far.pollAfterMs).to.be.greaterThan(2000);
    expect(far.pollAfterMs).to.be.at.most(60_000);
  });
});

describe('queue simulator: routing and bookkeeping', () => {
  it('serves the protocol under any base path and refuses other rooms and bad ids', async () => {
    const sim = createQueueSimulator({ serving: 1, issued: 2 });
    const based = await sim.fetch('https://cdn.example/api/queue/rooms/demo/state');
    expect(based.status).to.equal(200);
    const other = await sim.fetch(`${ORIGIN}/rooms/elsewhere/state`);
    expect(other.status).to.equal(404);
    expect(await codeOf(other)).to.equal('room_not_found');
    const bad = await sim.fetch(`${ORIGIN}/rooms/-bad/state`);
    expect(bad.status).to.equal(400);
    expect(await codeOf(bad)).to.equal('invalid_room_id');
    const wrongMethod = await sim.fetch(`${ORIGIN}/rooms/demo/join`);
    expect(wrongMethod.status).to.equal(405);
    expect(await codeOf(wrongMethod)).to.equal('method_not_allowed');
    const unknown = await sim.fetch(`${ORIGIN}/nope`);
    expect(await codeOf(unknown)).to.equal('not_found');
  });

  it('publishes the signing key it made on the spot', async () => {
    const sim = createQueueSimulator();
    const response = await sim.fetch(`${ORIGIN}/.well-known/jwks.json`);
    expect(response.status).to.equal(200);
    const { keys } = (await response.json()) as { keys: { kty: string; kid: string }[] };
    expect(keys).to.have.length.at.least(1);
    expect(keys[0]?.kid).to.be.a('string');
  });

  it('records each request with its path, time, ticket and answer status', async () => {
    const clock = manualClock();
    const sim = createQueueSimulator({ now: clock.now });
    const { ticket } = await joinOk(sim);
    clock.tick(2000);
    await state(sim);
    await join(sim, { ticket });
    await admit(sim, ticket);
    expect(sim.requests.map((r) => [r.method, r.path, r.status])).to.deep.equal([
      ['POST', '/rooms/demo/join', 200],
      ['GET', '/rooms/demo/state', 200],
      ['POST', '/rooms/demo/join', 200],
      ['POST', '/rooms/demo/admit', 409],
    ]);
    expect(sim.requests[1].at).to.equal(clock.t);
    expect(sim.requests[0].ticket).to.equal(undefined);
    expect(sim.requests[2].ticket).to.equal(ticket);
    expect(sim.requests[3].ticket).to.equal(ticket);
  });

  it('answers handle() directly with the protocol, unaffected by injected faults', async () => {
    const sim = createQueueSimulator({ issued: 2 });
    sim.setOffline(true);
    const response = await sim.handle(new Request(`${ORIGIN}/rooms/demo/state`));
    expect(response.status).to.equal(200);
    expect(sim.requests).to.have.length(1);
  });

  it('forgets tickets, requests and controls on reset', async () => {
    const sim = createQueueSimulator({ serving: 1, issued: 5, now: manualClock().now });
    const { ticket } = await joinOk(sim);
    sim.advance(10);
    sim.setStatus('paused');
    sim.setOffline(true);
    await sim.reset();
    expect(await sim.snapshot()).to.deep.equal({
      serving: 1,
      issued: 5,
      status: 'open',
      ratePerSec: 0,
      speed: 1,
    });
    expect(sim.requests).to.have.length(0);
    // A new server signs with a new key: the old ticket's key is unknown to it.
    expect(await codeOf(await join(sim, { ticket }))).to.equal('token_unknown_kid');
  });
});
