import { expect, fixtureSync, html } from '@open-wc/testing';
import '../../src/index.js';
import { QueueGateErrorEvent, type QueueGateElement } from '../../src/index.js';
import { FakeEngine, NOW, factoryFor } from './fake-engine.js';

/**
 * An admission runs out twice over: the element's own clock sees it first (its once-a-second
 * tick), then the engine's timer drops the admission from the snapshot. After a device sleep
 * both happen in the same instant, in either order. The page must hear of it once.
 */
async function setup() {
  const engine = new FakeEngine();
  let now = NOW;
  const el = fixtureSync<QueueGateElement>(
    html`<queue-gate room="demo" .engineFactory=${factoryFor(engine)} .now=${() => now}>
      <form><input name="name" aria-label="Name" /></form>
    </queue-gate>`,
  );
  await el.updateComplete;
  const codes: string[] = [];
  el.addEventListener('queue-gate-error', (event) => {
    if (event instanceof QueueGateErrorEvent) codes.push(event.problem.code);
  });
  return { engine, el, codes, setNow: (ms: number) => (now = ms) };
}

const admitted = {
  status: 'admitted',
  position: 0,
  admission: 'adm.1',
  admissionExpiresAt: NOW + 120_000,
} as const;

describe('<queue-gate> admission running out (audit)', () => {
  it('reports admission_expired once when the page clock notices before the engine drops it', async () => {
    const { engine, el, codes, setNow } = await setup();
    engine.push(admitted);
    await el.updateComplete;
    setNow(NOW + 125_000);
    // The tab wakes: the page's own clock notices first…
    engine.push({ lastUpdatedAt: NOW + 125_000 });
    await el.updateComplete;
    // …then the engine's timer drops the admission.
    engine.push({ admission: null });
    await el.updateComplete;
    expect(codes).to.deep.equal(['admission_expired']);
  });

  it('reports admission_expired once when the engine drops it first', async () => {
    const { engine, el, codes, setNow } = await setup();
    engine.push(admitted);
    await el.updateComplete;
    engine.push({ admission: null });
    await el.updateComplete;
    setNow(NOW + 125_000);
    engine.push({ lastUpdatedAt: NOW + 125_000 });
    await el.updateComplete;
    expect(codes).to.deep.equal(['admission_expired']);
  });

  it('reports a second expiry again after a reclaim brought a new admission', async () => {
    const { engine, el, codes, setNow } = await setup();
    engine.push(admitted);
    setNow(NOW + 125_000);
    engine.push({ admission: null });
    el.reclaim();
    engine.push({ admission: 'adm.2', admissionExpiresAt: NOW + 245_000 });
    await el.updateComplete;
    expect(codes).to.deep.equal(['admission_expired']);
    setNow(NOW + 250_000);
    engine.push({ lastUpdatedAt: NOW + 250_000 });
    engine.push({ admission: null });
    await el.updateComplete;
    expect(codes).to.deep.equal(['admission_expired', 'admission_expired']);
  });
});
