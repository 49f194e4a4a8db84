import { expect } from '@open-wc/testing';
import { ticketStorageKey } from '../../src/core/ticket-store.js';
import type { QueueSimulator } from '../../src/mocks/queue-simulator.js';
import { ENDPOINT, createHarness } from './helpers/engine-harness.js';

type Harness = ReturnType<typeof createHarness>;

/** What a join carried, as the server saw it. */
interface SeenJoin {
  ticket: boolean;
  identity: string | null;
}

const refusal = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ error: { code, message: `refused: ${code}`, ...extra } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

/**
 * A fetch in front of the simulator (the real server, which hands out the places and tickets)
 * that records what each join carried and answers the next joins or claims with the refusals a
 * room with identity gives, as queued by the test; unqueued requests reach the server (without
 * the identity, which this simulator's room does not check).
 */
function identityGate(simulator: QueueSimulator) {
  const joins: SeenJoin[] = [];
  const refusals: Record<'join' | 'admit', Response[]> = { join: [], admit: [] };
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input instanceof Request ? input : String(input), init);
    const endpoint = new URL(request.url).pathname.split('/').pop();
    if (endpoint !== 'join' && endpoint !== 'admit') return simulator.dispatch(request);
    let forward = request;
    if (endpoint === 'join') {
      const body = (await request.clone().json()) as { ticket?: string; identity?: string };
      joins.push({ ticket: body.ticket !== undefined, identity: body.identity ?? null });
      const { identity: _identity, ...rest } = body;
      forward = new Request(request, { body: JSON.stringify(rest) });
    }
    return refusals[endpoint].shift() ?? simulator.dispatch(forward);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    joins,
    refuse: (endpoint: 'join' | 'admit', ...answers: Response[]) =>
      refusals[endpoint].push(...answers),
  };
}

/** An identity provider whose answers the test sets, counting the calls. */
function provider(first: string | null) {
  let answer = first;
  const ask = Object.assign(
    async () => {
      ask.calls += 1;
      return answer;
    },
    { calls: 0, set: (next: string | null) => void (answer = next) },
  );
  return ask;
}

const ASSERTION = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
const FRESH = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSIsIm4iOjJ9.c2ln';

function storedTicket(h: Harness): string | null {
  const raw = h.storage.getItem(ticketStorageKey(ENDPOINT, h.room));
  return raw === null ? null : ((JSON.parse(raw) as { ticket?: string }).ticket ?? null);
}

describe('queue engine with an identity provider', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness({ simulator: { issued: 4, serving: 0, ratePerSec: 0 } });
  });
  afterEach(() => h.stopAll());

  /** An engine behind {@link identityGate}, with a provider answering `first`, started. */
  const started = (first: string | null) => {
    const gate = identityGate(h.simulator);
    const identity = provider(first);
    const engine = h.engine({ fetch: gate.fetch, identity });
    engine.start();
    return { gate, identity, engine };
  };

  it('sends the identity with the first join, and asks nothing more while the place is fine', async () => {
    const { gate, identity, engine } = started(ASSERTION);
    const joined = await h.until(engine, (s) => s.status === 'waiting');
    expect(joined.seq).to.equal(5);
    expect(gate.joins).to.deep.equal([{ ticket: false, identity: ASSERTION }]);
    await h.clock.advance(30_000);
    expect(identity.calls, 'state polls need no identity').to.equal(1);
  });

  it('joins anonymously when the visitor is not signed in and the room does not mind', async () => {
    const { gate, identity, engine } = started(null);
    await h.until(engine, (s) => s.status === 'waiting');
    expect(gate.joins).to.deep.equal([{ ticket: false, identity: null }]);
    expect(identity.calls).to.equal(1);
  });

  it('asks once more on identity_required, then waits for a sign-in without polling', async () => {
    const gate = identityGate(h.simulator);
    const identity = provider(null);
    gate.refuse('join', refusal(401, 'identity_required'));
    const engine = h.engine({ fetch: gate.fetch, identity });
    const events: string[] = [];
    engine.subscribe((s) => events.push(s.status));
    engine.start();
    const signIn = await h.until(engine, (s) => s.status === 'sign-in-required');
    expect(signIn.problem?.code).to.equal('identity_required');
    expect(identity.calls, 'the join, then once for the refusal').to.equal(2);
    expect(gate.joins, 'no second join without an identity').to.have.length(1);

    h.lifecycle.fire();
    await h.clock.advance(10 * 60_000);
    expect(h.clock.pendingDelays(), 'no timer while waiting for a sign-in').to.deep.equal([]);
    expect(h.simulator.requests, 'nothing polled').to.have.length(0);
    expect(engine.getSnapshot().status).to.equal('sign-in-required');

    identity.set(ASSERTION);
    engine.identityChanged();
    const waiting = await h.until(engine, (s) => s.status === 'waiting');
    expect(waiting.seq).to.equal(5);
    expect(gate.joins.at(-1)).to.deep.equal({ ticket: false, identity: ASSERTION });
    expect(events).to.not.include('rejected');
  });

  it('never discards the ticket for a refused identity, and gets a fresh assertion once', async () => {
    const { gate, identity, engine } = started(ASSERTION);
    const first = await h.until(engine, (s) => s.status === 'waiting');
    const ticket = storedTicket(h);
    expect(ticket).to.be.a('string');

    // The assertion ran out while the visitor waited; the fresh one is refused too, and the
    // room needs one (the ticket alone is refused as well): sign in again, the ticket is kept.
    identity.set(FRESH);
    gate.refuse(
      'join',
      refusal(401, 'token_expired', { token: 'identity' }),
      refusal(401, 'token_expired', { token: 'identity' }),
      refusal(401, 'identity_required'),
    );
    engine.identityChanged();
    const signIn = await h.until(engine, (s) => s.status === 'sign-in-required');
    expect(signIn.problem?.code, 'why, for the screen').to.equal('identity_required');
    expect(signIn.seq).to.equal(first.seq);
    expect(identity.calls, 'first join, the change, one fresh assertion').to.equal(3);
    expect(gate.joins.slice(1)).to.deep.equal([
      { ticket: true, identity: FRESH },
      { ticket: true, identity: FRESH },
      { ticket: true, identity: null },
    ]);
    expect(storedTicket(h), 'the place is still held').to.equal(ticket);
  });

  it('keeps waiting with the ticket alone when only the assertion is refused', async () => {
    const { gate, engine } = started(ASSERTION);
    const first = await h.until(engine, (s) => s.status === 'waiting');
    gate.refuse(
      'join',
      refusal(401, 'token_bad_signature', { token: 'identity' }),
      refusal(401, 'token_bad_signature', { token: 'identity' }),
    );
    engine.identityChanged();
    await h.until(engine, () => gate.joins.length === 4);
    const after = await h.until(engine, (s) => s.status === 'waiting' && s.problem === null);
    expect(after.seq).to.equal(first.seq);
    expect(gate.joins.at(-1)).to.deep.equal({ ticket: true, identity: null });
  });

  it('binds a waiting place when the visitor signs in: the ticket goes with the identity', async () => {
    const { gate, identity, engine } = started(null);
    const anonymous = await h.until(engine, (s) => s.status === 'waiting');
    identity.set(ASSERTION);
    engine.identityChanged();
    await h.until(engine, () => gate.joins.length === 2);
    const bound = await h.until(engine, (s) => s.status === 'waiting');
    expect(gate.joins[1]).to.deep.equal({ ticket: true, identity: ASSERTION });
    expect(bound.seq).to.equal(anonymous.seq);
  });

  it('a claim refused with identity_required joins again with the identity, then claims', async () => {
    const { gate, engine } = started(ASSERTION);
    await h.until(engine, (s) => s.status === 'waiting');
    gate.refuse('admit', refusal(401, 'identity_required'));
    await h.simulator.advance(5);
    await h.clock.advance(60_000);
    const admitted = await h.until(engine, (s) => s.status === 'admitted');
    expect(admitted.admission).to.be.a('string');
    expect(gate.joins.at(-1)).to.deep.equal({ ticket: true, identity: ASSERTION });
  });

  it('place_released discards the ticket and says why', async () => {
    const gate = identityGate(h.simulator);
    const engine = h.engine({ fetch: gate.fetch, identity: provider(ASSERTION) });
    engine.start();
    await h.until(engine, (s) => s.status === 'waiting');
    gate.refuse('admit', refusal(410, 'place_released'));
    await h.simulator.advance(5);
    await h.clock.advance(60_000);
    const rejected = await h.until(engine, (s) => s.status === 'rejected');
    expect(rejected.rejection?.code).to.equal('place_released');
    expect(storedTicket(h)).to.equal(null);
  });

  it('counts a provider that throws or hangs as not signed in', async () => {
    const gate = identityGate(h.simulator);
    const engine = h.engine({
      fetch: gate.fetch,
      identity: () => Promise.reject(new Error('site backend down')),
    });
    engine.start();
    await h.until(engine, (s) => s.status === 'waiting');
    expect(gate.joins).to.deep.equal([{ ticket: false, identity: null }]);

    const hung = createHarness();
    const hangGate = identityGate(hung.simulator);
    const stuck = hung.engine({
      fetch: hangGate.fetch,
      identity: () => new Promise<string>(() => {}),
      requestTimeoutMs: 5000,
    });
    stuck.start();
    await hung.clock.advance(5000);
    await hung.until(stuck, (s) => s.status === 'waiting');
    expect(hangGate.joins).to.deep.equal([{ ticket: false, identity: null }]);
    hung.stopAll();
  });
});
