import { expect } from '@open-wc/testing';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { createQueueEngine, ticketStorageKey } from '../../src/core/index.js';
import type { StoredTicket } from '../../src/core/index.js';
import { encodeMockToken } from '../../src/mocks/mock-token.js';
import type { EngineFactory, QueueGateElement } from '../../src/index.js';
import { memoryStorage } from '../core/helpers/test-doubles.js';
import { hasDefaultSlot, shadowText } from './fake-engine.js';
import { advanceUntil, mountSimulatedGate, simulatedWorld } from './helpers/simulated-gate.js';

describe('<queue-gate> with an admission found in storage', () => {
  it('asks the server first, and keeps the form closed when the admission was made up', async () => {
    const w = simulatedWorld();
    const first = await mountSimulatedGate(w);
    expect(await advanceUntil(w, first, () => first.status === 'waiting')).to.equal(true);
    first.remove();

    // A "skip the line" script writes an admission next to the real ticket.
    const key = ticketStorageKey('https://queue.test', 'demo');
    const stored = JSON.parse(w.storage.getItem(key)!) as StoredTicket;
    const forged = encodeMockToken(
      TOKEN_TYPES.admission,
      { sub: 'me', seq: stored.seq, aud: 'queue-gate-demo', jti: 'x', placeExp: 9e9 },
      'forged',
    );
    w.storage.setItem(
      key,
      JSON.stringify({ ...stored, admission: forged, admissionExpiresAt: w.clock.now() + 60_000 }),
    );

    // A new tab: nothing of its own to compare storage with.
    const newTab: EngineFactory = ({ room, endpoint }) =>
      createQueueEngine({
        room,
        endpoint,
        fetch: w.sim.fetch,
        clock: w.clock,
        storage: w.storage,
        witnessStorage: memoryStorage(),
        coordinator: null,
        random: () => 0.5,
      });
    const el = await mountSimulatedGate({ ...w, factory: newTab });
    const statuses: string[] = [el.status];
    el.addEventListener('queue-gate-change', () => statuses.push(el.status));
    expect(el.status).to.equal('admitting');
    expect(shadowText(el)).to.include('It’s your turn, connecting…');
    expect(hasDefaultSlot(el)).to.equal(false);

    expect(await advanceUntil(w, el, () => el.status === 'waiting')).to.equal(true);
    expect(el.seq).to.equal(stored.seq);
    expect(statuses).to.not.include('admitted');
    expect(hasDefaultSlot(el)).to.equal(false);
    expect(el.querySelector('[name="queue_admission"]') === null).to.equal(true);
    expect(
      w.sim.requests.filter((r) => r.path.endsWith('/admit')).map((r) => r.status),
    ).to.deep.equal([409]);
  });

  it('reveals the form with the admission the server confirms', async () => {
    const w = simulatedWorld();
    const first = await mountSimulatedGate(w);
    w.sim.advance(11);
    expect(await advanceUntil(w, first, () => hasDefaultSlot(first))).to.equal(true);
    const admission = first.admission;
    first.remove();

    const el: QueueGateElement = await mountSimulatedGate(w);
    expect(el.status).to.equal('admitting');
    expect(hasDefaultSlot(el)).to.equal(false);
    expect(await advanceUntil(w, el, () => hasDefaultSlot(el))).to.equal(true);
    expect(el.admission).to.equal(admission);
    const admits = w.sim.requests.filter((r) => r.path.endsWith('/admit'));
    expect(admits.map((r) => r.status)).to.deep.equal([200, 200]);
  });
});
