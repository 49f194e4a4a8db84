import { expect } from '@open-wc/testing';
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import { SCENARIOS, SCENARIO_NAMES } from '../../src/mocks/scenarios.js';
import type { AdmitResponse, StateResponse } from '../../src/protocol.js';
import { admit, codeOf, join, joinOk, manualClock, state } from './protocol-calls.js';

const noWait = () => Promise.resolve();

describe('SCENARIOS', () => {
  it('names the twelve situations the demo and the tests share, each with a title', () => {
    expect(SCENARIO_NAMES).to.deep.equal([
      'normal',
      'surge',
      'slow',
      'flaky',
      'offline',
      'overload',
      'paused',
      'closed',
      'rejected-expired',
      'rejected-tampered',
      'admitted',
      'admission-expired',
    ]);
    for (const name of SCENARIO_NAMES) {
      expect(SCENARIOS[name].title, name).to.be.a('string').and.not.equal('');
      expect(SCENARIOS[name].description, name).to.be.a('string').and.not.equal('');
    }
  });

  it('normal: a moving line with people ahead', async () => {
    const clock = manualClock();
    const sim = SCENARIOS.normal.create({ now: clock.now });
    const joined = await joinOk(sim);
    expect(joined.position).to.be.greaterThan(10);
    clock.tick(5000);
    expect((await sim.snapshot()).serving).to.be.greaterThan(joined.serving);
  });

  it('surge: a million people ahead and a slower poll', async () => {
    const sim = SCENARIOS.surge.create({ now: manualClock().now });
    const joined = await joinOk(sim);
    expect(joined.position).to.be.at.least(1_000_000);
    expect(joined.pollAfterMs).to.be.greaterThan(10_000);
  });

  it('slow: every answer waits three seconds', async () => {
    const waits: number[] = [];
    const sim = SCENARIOS.slow.create({
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect((await state(sim)).status).to.equal(200);
    expect(waits).to.deep.equal([3000]);
  });

  it('flaky: a share of requests fail with a 5xx', async () => {
    const draws = [0.1, 0.8, 0.5, 0.2];
    const sim = SCENARIOS.flaky.create({ random: () => draws.shift() ?? 0.9 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await state(sim)).status);
    expect(statuses.filter((s) => s >= 500)).to.have.length(2);
    expect(statuses.filter((s) => s === 200)).to.have.length(2);
  });

  it('offline: every request rejects like a network error', async () => {
    const sim = SCENARIOS.offline.create();
    let error: unknown;
    await state(sim).catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(TypeError);
  });

  it('overload: 503 overloaded with Retry-After', async () => {
    const sim = SCENARIOS.overload.create();
    const response = await join(sim);
    expect(response.status).to.equal(503);
    expect(response.headers.get('Retry-After')).to.equal('10');
    expect(await codeOf(response)).to.equal('overloaded');
  });

  it('paused: the room reports paused and the line stands still', async () => {
    const clock = manualClock();
    const sim = SCENARIOS.paused.create({ now: clock.now });
    const before = (await (await state(sim)).json()) as StateResponse;
    clock.tick(60_000);
    const after = (await (await state(sim)).json()) as StateResponse;
    expect(after.status).to.equal('paused');
    expect(after.serving).to.equal(before.serving);
  });

  it('closed: a new visitor is refused with room_closed', async () => {
    const sim = SCENARIOS.closed.create();
    expect(await codeOf(await join(sim))).to.equal('room_closed');
  });

  it('rejected-expired and rejected-tampered: the ticket is refused at the turn, a rejoin recovers', async () => {
    for (const [name, code] of [
      ['rejected-expired', 'token_expired'],
      ['rejected-tampered', 'token_bad_signature'],
    ] as const) {
      const clock = manualClock();
      const sim = SCENARIOS[name].create({ now: clock.now });
      const { ticket } = await joinOk(sim);
      clock.tick(3000);
      const refused = await admit(sim, ticket);
      expect(refused.status, name).to.equal(401);
      expect(await codeOf(refused), name).to.equal(code);
      const rejoined = await joinOk(sim);
      clock.tick(3000);
      expect((await admit(sim, rejoined.ticket)).status, name).to.equal(200);
    }
  });

  it('rejected scenarios applied to a running simulator refuse the ticket already held', async () => {
    const sim = createQueueSimulator({ now: manualClock().now });
    const { ticket } = await joinOk(sim);
    SCENARIOS['rejected-tampered'].apply(sim);
    expect(await codeOf(await join(sim, { ticket }))).to.equal('token_bad_signature');
  });

  it('admitted: the turn comes within seconds', async () => {
    const clock = manualClock();
    const sim = SCENARIOS.admitted.create({ now: clock.now });
    const { ticket } = await joinOk(sim);
    expect((await admit(sim, ticket)).status).to.equal(409);
    clock.tick(3000);
    expect((await admit(sim, ticket)).status).to.equal(200);
  });

  it('admission-expired: the admission lapses after five seconds and a new one can be claimed', async () => {
    const clock = manualClock();
    const sim = SCENARIOS['admission-expired'].create({ now: clock.now, sleep: noWait });
    const { ticket } = await joinOk(sim);
    clock.tick(1000);
    const first = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    expect(first.expiresAt - clock.t).to.be.at.most(5000);
    clock.tick(6000);
    const second = (await (await admit(sim, ticket)).json()) as AdmitResponse;
    expect(second.admission).to.not.equal(first.admission);
  });

  it('apply switches an existing simulator without losing the visitor’s place', async () => {
    const clock = manualClock();
    const sim = SCENARIOS.offline.create({ now: clock.now });
    sim.setOffline(false);
    const joined = await joinOk(sim);
    SCENARIOS.overload.apply(sim);
    expect((await state(sim)).status).to.equal(503);
    SCENARIOS.normal.apply(sim);
    const again = await joinOk(sim, joined.ticket);
    expect(again.seq).to.equal(joined.seq);
  });
});
