/**
 * "A place books once, ever" and "the hold is measured from the turn", attacked the way an
 * outsider did: admissions kept past their expiry, a fresh admission for the same place, the
 * server's own booking route and a backend built from the docs, pre-open tickets replayed
 * after the hold, and bots sitting on `maxActive`. Each test failed on the code before the fix.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { startBookingBackend } from './support/booking-backend.js';
import type { BookingBackend } from './support/booking-backend.js';
import { adminCall, admit, join, postJson, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const servers: TestServer[] = [];
const backends: BookingBackend[] = [];
after(async () => {
  await Promise.all([...servers, ...backends].map((running) => running.close()));
});

async function serverWith(rooms: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(rooms);
  servers.push(server);
  return server;
}

async function backendFor(server: TestServer, room = 'demo'): Promise<BookingBackend> {
  const backend = await startBookingBackend({
    queueUrl: server.url,
    audience: server.url,
    room,
    now: server.clock.now,
  });
  backends.push(backend);
  return backend;
}

const bookAtQueue = (server: TestServer, admission: string, room = 'demo') =>
  postJson(`${server.url}/demo/book?room=${room}`, undefined, {
    Authorization: `Bearer ${admission}`,
  });

/** A visitor whose turn has come, with their first admission. */
async function atTheFront(server: TestServer, room = 'demo') {
  const visitor = await join(server, room);
  await adminCall(server, 'POST', `${room}/advance`, { by: 1 });
  const first = await admit(server, visitor.json.ticket, room);
  assert.equal(first.status, 200);
  return { ticket: visitor.json.ticket as string, admission: first.json.admission as string };
}

describe('a place books once, ever', () => {
  it('a kept admission and a fresh one for the same place book once at the queue server', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 600 } } });
    const { ticket, admission: a1 } = await atTheFront(server);
    server.clock.advance(125_000); // A1 expired; the hold (600 s) still runs
    const second = await admit(server, ticket);
    assert.equal(second.status, 200);
    const a2 = second.json.admission as string;
    assert.notEqual(decodeJwt(a2).jti, decodeJwt(a1).jti, 'a fresh admission for the place');

    assert.equal((await bookAtQueue(server, a2)).status, 200);
    const replayOld = await bookAtQueue(server, a1);
    assert.equal(replayOld.status, 401, 'the expired one is refused by its own clock');
    assert.equal(replayOld.json.error.code, 'token_expired');
    server.clock.advance(-6_000); // inside what used to be the clock tolerance
    const insideTolerance = await bookAtQueue(server, a1);
    assert.notEqual(insideTolerance.status, 200, 'the old admission never books the place again');
  });

  it('a place booked with its first admission gets no second one, before or after expiry', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 600 } } });
    const { ticket, admission } = await atTheFront(server);
    assert.equal((await bookAtQueue(server, admission)).status, 200);
    const again = await admit(server, ticket);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'admission_used');
    server.clock.advance(200_000); // the used admission expired, its claim may be replaced
    const later = await admit(server, ticket);
    assert.equal(later.status, 409, 'the place stays booked once its admission expired');
    assert.equal(later.json.error.code, 'admission_used');
    // And once the claim itself is pruned (past the hold window), still booked.
    server.clock.advance(300_000);
    await server.service.tick();
    const muchLater = await admit(server, ticket);
    assert.notEqual(muchLater.status, 200);
  });

  it('a backend built as docs/verify.md shows books one place once, however many admissions it got', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 600 } } });
    const backend = await backendFor(server);
    const { ticket, admission: a1 } = await atTheFront(server);
    assert.equal((await backend.book(a1)).status, 200);
    // One ticket shared with friends: the queue server does not see bookings made elsewhere,
    // so it signs a new admission (new jti) each time the last one expires within the hold.
    const placeExps = new Set([decodeJwt(a1).placeExp]);
    let refused = 0;
    for (let i = 0; i < 4; i += 1) {
      server.clock.advance(125_000);
      const next = await admit(server, ticket);
      if (next.status !== 200) break;
      placeExps.add(decodeJwt(next.json.admission).placeExp);
      const friend = await backend.book(next.json.admission);
      assert.equal(friend.status, 409, 'a friend with a fresh admission books nothing');
      assert.equal(friend.code, 'admission_used');
      refused += 1;
    }
    assert.equal(refused, 4, 'the hold handed out four more admissions, each refused');
    assert.equal(placeExps.size, 1, 'every admission of the place names the same placeExp');
  });

  it('two places of two visitors book independently at the same backend', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0 } } });
    const backend = await backendFor(server);
    const first = await atTheFront(server);
    const second = await atTheFront(server);
    assert.equal((await backend.book(first.admission)).status, 200);
    assert.equal((await backend.book(second.admission)).status, 200);
  });
});

describe('the hold runs from the turn, a fact the store keeps', () => {
  it('a pre-open ticket replayed after the hold gets no admission', async () => {
    const server = await serverWith({ rooms: {} });
    const opensAt = server.clock.now() + 60_000;
    await adminCall(server, 'PUT', 'launch', { admitPerMinute: 0, holdSeconds: 60, opensAt });
    const pre = await join(server, 'launch');
    assert.equal(pre.json.pre, true);
    server.clock.advance(61_000);
    await server.service.tick(); // the draw
    await adminCall(server, 'POST', 'launch/advance', { by: 1 });
    const first = await admit(server, pre.json.ticket, 'launch');
    assert.equal(first.status, 200, 'admitted at the turn with the pre-open ticket');
    server.clock.advance(125_000); // the hold (60 s) ended and the admission (120 s) expired
    for (let i = 0; i < 3; i += 1) {
      const renewed = await join(server, 'launch', pre.json.ticket);
      assert.equal(renewed.status, 200, 'the place is still named');
      const late = await admit(server, renewed.json.ticket, 'launch');
      assert.equal(late.status, 410, 'a renewed ticket does not renew the hold');
      assert.equal(late.json.error.code, 'hold_expired');
      const withPre = await admit(server, pre.json.ticket, 'launch');
      assert.equal(withPre.status, 410);
      server.clock.advance(30_000);
    }
  });

  it('bots replaying pre-open tickets cannot hold maxActive and freeze the line', async () => {
    const server = await serverWith({ rooms: {} });
    const opensAt = server.clock.now() + 60_000;
    await adminCall(server, 'PUT', 'launch', {
      admitPerMinute: 60,
      maxActive: 2,
      holdSeconds: 60,
      opensAt,
    });
    const bots = [await join(server, 'launch'), await join(server, 'launch')];
    server.clock.advance(61_000);
    await server.service.tick();
    const honest = await join(server, 'launch');
    assert.ok(honest.json.seq > 2, 'the honest visitor arrived after the draw');
    const turnAt = server.clock.now();
    const botAdmissions = new Set<string>();
    const lateBotAdmissions = new Set<string>();
    let admittedAfter: number | null = null;
    for (let second = 0; second < 600 && admittedAfter === null; second += 5) {
      for (const bot of bots) {
        // The bots keep rejoining with their pre-open tickets and claiming again.
        const again = await join(server, 'launch', bot.json.ticket);
        const claims = [await admit(server, bot.json.ticket, 'launch')];
        if (again.status === 200) claims.push(await admit(server, again.json.ticket, 'launch'));
        for (const claim of claims) {
          if (claim.status !== 200) continue;
          const jti = decodeJwt(claim.json.admission).jti!;
          // The tick 5 s after the draw called them; their hold (60 s) runs from then. A lost
          // answer may be asked again (the same admission), but no new one may come.
          if (!botAdmissions.has(jti) && server.clock.now() > turnAt + 65_000) {
            lateBotAdmissions.add(jti);
          }
          botAdmissions.add(jti);
        }
      }
      const attempt = await admit(server, honest.json.ticket, 'launch');
      if (attempt.status === 200) admittedAfter = second;
      server.clock.advance(5_000);
      await server.service.tick();
    }
    assert.equal(lateBotAdmissions.size, 0, 'no bot is admitted again after its hold');
    assert.notEqual(admittedAfter, null, 'the honest visitor got in');
    // The bots' turns end with the hold (60 s) and their admissions (120 s) expire: the line
    // moves on within a few minutes.
    assert.ok(admittedAfter! <= 240, `admitted after ${admittedAfter} s`);
  });

  it('a late claim waits for a free slot instead of pushing past maxActive', async () => {
    const server = await serverWith({
      rooms: { demo: { admitPerMinute: 600, maxActive: 2, holdSeconds: 300 } },
    });
    const visitors = [];
    for (let i = 0; i < 4; i += 1) visitors.push((await join(server)).json.ticket as string);
    await server.service.tick(); // serves 1 and 2
    server.clock.advance(20_000); // their grace passed unclaimed: slots free again
    await server.service.tick(); // serves 3 and 4
    const third = await admit(server, visitors[2]!);
    const fourth = await admit(server, visitors[3]!);
    assert.equal(third.status, 200);
    assert.equal(fourth.status, 200);
    const late = await admit(server, visitors[0]!);
    assert.equal(late.status, 409, 'the booking site is full');
    assert.equal(late.json.error.code, 'booking_full');
    assert.ok(Number(late.headers.get('retry-after')) > 0);
    assert.equal((await server.service.stats('demo')).active, 2);
    assert.equal((await bookAtQueue(server, third.json.admission)).status, 200);
    assert.equal((await admit(server, visitors[0]!)).status, 200, 'a freed slot takes them');
  });

  it('raising holdSeconds later does not lengthen a turn that already came', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 60 } } });
    const turnAt = server.clock.now();
    const { ticket, admission } = await atTheFront(server);
    const placeExp = decodeJwt(admission).placeExp as number;
    assert.ok(placeExp * 1000 <= turnAt + (60 + 120) * 1000, 'hold plus one admission lifetime');
    await adminCall(server, 'PUT', 'demo', { holdSeconds: 3600 });
    server.clock.advance(125_000); // past the old hold and the admission
    const late = await admit(server, ticket);
    assert.equal(late.status, 410, 'the turn keeps the hold it came with, so placeExp holds');
  });

  it('serving never passes a seq before it is handed out, so a later joiner gets a full hold', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0, holdSeconds: 60 } } });
    const advanced = await (await adminCall(server, 'POST', 'demo/advance', { by: 5 })).json();
    assert.equal(advanced.serving, 0, 'nobody to serve: serving stays at issued');
    const visitor = await join(server);
    assert.equal(visitor.json.position, 1);
    server.clock.advance(120_000);
    await adminCall(server, 'POST', 'demo/advance', { by: 1 });
    assert.equal((await admit(server, visitor.json.ticket)).status, 200);
  });
});

describe('cohorts and the opening horizon', () => {
  it('refuses a cohort in a room without cohorts', async () => {
    const server = await serverWith({ rooms: { demo: { admitPerMinute: 0 } } });
    const answer = await postJson(`${server.url}/rooms/demo/join`, { cohort: '7' });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, 'invalid_body');
  });

  it('refuses an opening more than 30 days ahead', async () => {
    const server = await serverWith({ rooms: {} });
    const far = server.clock.now() + 31 * 24 * 3600_000;
    const answer = await adminCall(server, 'PUT', 'far', { opensAt: far });
    assert.equal(answer.status, 400);
    const near = await adminCall(server, 'PUT', 'near', {
      opensAt: server.clock.now() + 29 * 24 * 3600_000,
    });
    assert.equal(near.status, 201);
  });
});
