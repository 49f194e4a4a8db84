import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { admissionControl } from '../../src/server/admission-control.js';
import type { ClaimRecord } from '../../src/server/store/queue-store.js';
import { admit, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const base = {
  now: 1_000_000,
  config: { admitPerMinute: 60, maxActive: null, opensAt: null, holdSeconds: 300 },
  status: 'open' as const,
  serving: 0,
  issued: 100,
  claims: [] as ClaimRecord[],
  advances: [{ at: 0, serving: 0 }],
  claimGraceMs: 15_000,
  pace: null,
};

describe('admissionControl (pure)', () => {
  it('moves nothing by itself when admitPerMinute is 0', () => {
    const decision = admissionControl({ ...base, config: { ...base.config, admitPerMinute: 0 } });
    assert.equal(decision.advanceBy, 0);
    assert.equal(decision.reason, 'manual_only');
  });

  it('moves nothing while paused, closed or before opensAt', () => {
    assert.equal(admissionControl({ ...base, status: 'paused' }).reason, 'paused');
    assert.equal(admissionControl({ ...base, status: 'closed' }).reason, 'closed');
    const early = admissionControl({ ...base, config: { ...base.config, opensAt: base.now + 1 } });
    assert.equal(early.reason, 'not_open');
    assert.equal(early.advanceBy, 0);
  });

  it('starts with a burst of a sixth of the minute, then paces at the rate', () => {
    const first = admissionControl(base);
    assert.equal(first.advanceBy, 10);
    const next = admissionControl({ ...base, now: base.now + 3000, serving: 10, pace: first.pace });
    assert.equal(next.advanceBy, 3);
  });

  it('gives back the credit of a turn whose grace ran out unclaimed', () => {
    const first = admissionControl({ ...base, claimGraceMs: 2000 });
    const advances = [...base.advances, { at: base.now, serving: 10 }];
    const later = base.now + 3000;
    const claims = Array.from({ length: 10 }, (_, i) => ({
      seq: i + 1,
      sub: 's',
      jti: `j${i}`,
      admission: '',
      claimedAt: base.now + 500,
      expiresAt: later + 60_000,
      consumed: false,
    }));
    const next = {
      ...base,
      now: later,
      serving: 10,
      advances,
      claimGraceMs: 2000,
      pace: first.pace,
    };
    // Everyone claimed: only 3 s of credit. Nobody claimed: their 10 turns come back.
    assert.equal(admissionControl({ ...next, claims }).advanceBy, 3);
    assert.equal(admissionControl(next).advanceBy, 10);
  });

  it('keeps claims of the last minute within admitPerMinute', () => {
    const claims = Array.from({ length: 60 }, (_, i) => ({
      seq: i + 1,
      sub: 's',
      jti: `j${i}`,
      admission: '',
      claimedAt: base.now - 1000,
      expiresAt: base.now + 60_000,
      consumed: true,
    }));
    const decision = admissionControl({
      ...base,
      serving: 60,
      claims,
      advances: [{ at: base.now - 50_000, serving: 60 }],
    });
    assert.equal(decision.advanceBy, 0);
    assert.equal(decision.reason, 'rate_limit');
  });

  it('keeps active admissions plus pending turns within maxActive', () => {
    const decision = admissionControl({ ...base, config: { ...base.config, maxActive: 4 } });
    assert.equal(decision.advanceBy, 4);
    const full = admissionControl({
      ...base,
      config: { ...base.config, maxActive: 4 },
      serving: 4,
      advances: [{ at: base.now, serving: 4 }],
    });
    assert.equal(full.advanceBy, 0);
    assert.equal(full.reason, 'max_active');
  });

  it('never runs serving past issued', () => {
    const decision = admissionControl({ ...base, issued: 3 });
    assert.equal(decision.serving, 3);
    assert.equal(admissionControl({ ...base, issued: 3, serving: 3 }).reason, 'line_empty');
  });
});

/** Runs `seconds` one-second ticks; `claimer` decides which served visitors claim. */
async function simulate(
  server: TestServer,
  tickets: Array<{ seq: number; ticket: string }>,
  seconds: number,
  claimer: (seq: number) => boolean,
  claimed = new Set<number>(),
): Promise<number> {
  let claims = 0;
  for (let second = 0; second < seconds; second += 1) {
    server.clock.advance(1000);
    await server.service.tick();
    const { serving } = (await server.store.getRoom('demo'))!;
    for (const visitor of tickets) {
      if (visitor.seq > serving || claimed.has(visitor.seq) || !claimer(visitor.seq)) continue;
      const answer = await admit(server, visitor.ticket);
      assert.equal(answer.status, 200);
      claimed.add(visitor.seq);
      claims += 1;
    }
  }
  return claims;
}

async function crowd(server: TestServer, size: number) {
  const tickets: Array<{ seq: number; ticket: string }> = [];
  for (let i = 0; i < size; i += 1) {
    const answer = await join(server);
    tickets.push({ seq: answer.json.seq, ticket: answer.json.ticket });
  }
  return tickets;
}

describe('admission control driven by the ticker (injected clock, real HTTP)', () => {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));

  it('meets admitPerMinute with real claims, not more', async () => {
    const server = await startTestServer({ rooms: { demo: { admitPerMinute: 30 } } });
    servers.push(server);
    const tickets = await crowd(server, 200);
    const claims = await simulate(server, tickets, 180, () => true);
    // Three minutes at 30 a minute: within one burst (a sixth) of 90.
    assert.ok(claims >= 85 && claims <= 95, `claims ${claims}`);
  });

  it('frees the slots of visitors who walked away after the claim grace', async () => {
    const server = await startTestServer({
      rooms: { demo: { admitPerMinute: 30 } },
      claimGraceSeconds: 10,
    });
    servers.push(server);
    const tickets = await crowd(server, 400);
    // Every other visitor never comes back to claim.
    const claims = await simulate(server, tickets, 180, (seq) => seq % 2 === 0);
    const { serving } = (await server.store.getRoom('demo'))!;
    assert.ok(claims >= 80, `real admissions still meet the rate: ${claims}`);
    assert.ok(serving >= 2 * claims - 20, `serving ${serving} moved past the walkers-away`);
  });

  it('keeps active admissions under maxActive until some are used', async () => {
    const server = await startTestServer({
      rooms: { demo: { admitPerMinute: 600, maxActive: 5 } },
    });
    servers.push(server);
    const tickets = await crowd(server, 50);
    const claimed = new Set<number>();
    const claims = await simulate(server, tickets, 20, () => true, claimed);
    assert.equal(claims, 5);
    const stats = await server.service.stats('demo');
    assert.equal(stats.active, 5);
    assert.equal(stats.serving, 5);
    // Two admissions are used at the booking backend: two more visitors may go.
    const activity = await server.store.getActivity('demo', server.clock.now());
    for (const claim of activity.claims.slice(0, 2)) {
      assert.equal(
        await server.store.bookPlace('demo', claim.seq, claim.expiresAt, server.clock.now()),
        true,
      );
    }
    await simulate(server, tickets, 2, () => true, claimed);
    assert.equal((await server.service.stats('demo')).serving, 7);
  });

  it('reports the measured advance rate in state and join', async () => {
    const server = await startTestServer({ rooms: { demo: { admitPerMinute: 60 } } });
    servers.push(server);
    const tickets = await crowd(server, 200);
    await simulate(server, tickets, 60, () => true);
    const state = await (await fetch(`${server.url}/rooms/demo/state`)).json();
    assert.ok(state.ratePerSec > 0.8 && state.ratePerSec <= 1.2, `rate ${state.ratePerSec}`);
    const visitor = await join(server, 'demo', tickets.at(-1)!.ticket);
    assert.equal(visitor.json.ratePerSec, state.ratePerSec);
  });
});
