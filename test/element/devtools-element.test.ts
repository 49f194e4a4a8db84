import { expect } from '@open-wc/testing';
import '../../src/index.js';
import { QueueGateAdmitEvent, QueueGateAdmittedEvent } from '../../src/index.js';
import { hasDefaultSlot } from './fake-engine.js';
import { START, mountWaitingGate, type MountedWorld } from './helpers/simulated-gate.js';

type World = MountedWorld;

/** A waiting visitor at seq 11 behind the real engine and the simulator. */
const waitingGate = mountWaitingGate;

/** Everything a DevTools user could hope to see change, as plain data. */
async function observed({ el, clock, sim }: World) {
  el.requestUpdate();
  await clock.advance(5000);
  await el.updateComplete;
  const field = el.querySelector<HTMLInputElement>('[name="queue_admission"]');
  return {
    status: el.status,
    admission: el.admission,
    revealed: hasDefaultSlot(el),
    field: field?.value ?? null,
    admits: sim.requests.filter((request) => request.path.endsWith('/admit')).length,
  };
}

const UNCHANGED = { status: 'waiting', admission: null, revealed: false, field: null, admits: 0 };

describe('DevTools tricks on <queue-gate>', () => {
  it('refuses assignments to its read-only properties and stays closed', async () => {
    const world = await waitingGate();
    const writable = world.el as unknown as Record<string, unknown>;
    for (const [name, value] of [
      ['status', 'admitted'],
      ['seq', 1],
      ['position', 0],
      ['admission', 'forged.admission.token'],
    ] as const) {
      expect(() => (writable[name] = value), name).to.throw(TypeError);
    }
    expect(await observed(world)).to.deep.equal(UNCHANGED);
  });

  it('stays closed when own properties are forced over the getters', async () => {
    const world = await waitingGate();
    for (const [name, value] of [
      ['status', 'admitted'],
      ['seq', 1],
      ['position', 0],
      ['admission', 'forged.admission.token'],
    ] as const) {
      Object.defineProperty(world.el, name, { value, configurable: true });
    }
    const seen = await observed(world);
    expect({ revealed: seen.revealed, field: seen.field, admits: seen.admits }).to.deep.equal({
      revealed: false,
      field: null,
      admits: 0,
    });
  });

  it('ignores hand-dispatched admit and admitted events', async () => {
    const world = await waitingGate();
    const { el } = world;
    el.dispatchEvent(new QueueGateAdmitEvent('forged.admission.token', START + 60_000));
    el.dispatchEvent(new QueueGateAdmittedEvent('forged.admission.token', 'reveal'));
    el.dispatchEvent(
      new CustomEvent('queue-gate-admitted', {
        detail: { admission: 'forged.admission.token' },
        bubbles: true,
        composed: true,
      }),
    );
    el.setAttribute('status', 'admitted');
    el.setAttribute('admission', 'forged.admission.token');
    expect(await observed(world)).to.deep.equal(UNCHANGED);

    // The real turn still opens it, with the server's admission.
    world.sim.advance(11);
    for (let i = 0; i < 20 && !hasDefaultSlot(el); i++) {
      await world.clock.advance(1000);
      await el.updateComplete;
    }
    expect(el.status).to.equal('admitted');
    expect(el.admission).to.be.a('string').and.not.equal('forged.admission.token');
    expect(hasDefaultSlot(el)).to.equal(true);
  });
});
