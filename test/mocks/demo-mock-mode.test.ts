import { expect, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import type { DemoMode } from '../../demo/demo-mode.js';
import { startMockMode } from '../../demo/mock-mode.js';
import type { QueueGateElement } from '../../src/element/queue-gate-element.js';
import { SCENARIO_NAMES, SCENARIOS } from '../../src/mocks/scenarios.js';
import { demoModeContext, loadDemoPage } from './demo-page.js';

describe('the demo page in mock mode (real service worker)', () => {
  let root: HTMLElement;
  let mode: DemoMode;
  let firstGate: QueueGateElement;
  let admitted: Promise<Event>;

  before(async () => {
    root = await loadDemoPage();
    const stage = root.querySelector<HTMLElement>('#gate-host')!;
    // Listen before the element exists: the admission may come within a second.
    admitted = oneEvent(stage, 'queue-gate-admitted');
    mode = await startMockMode(demoModeContext(root), 'admitted');
    firstGate = stage.querySelector('queue-gate')!;
  });

  after(() => root.remove());

  it('links every shared scenario to its own URL and marks the one shown', () => {
    const links = [...root.querySelectorAll<HTMLAnchorElement>('#scenario-list a')];
    expect(links.map((a) => new URL(a.href).searchParams.get('scenario'))).to.deep.equal(
      SCENARIO_NAMES,
    );
    const current = root.querySelector('#scenario-list [aria-current="page"]');
    expect(current?.textContent).to.equal(SCENARIOS.admitted.title);
    expect(root.querySelector('#scenario-description')?.textContent).to.equal(
      SCENARIOS.admitted.description,
    );
    expect(root.querySelector('#stage-caption')?.textContent).to.contain('service worker');
  });

  it('admits the visitor of "Admitted soon" into the booking form and logs each event', async () => {
    await admitted;
    expect(firstGate.status).to.equal('admitted');
    const form = firstGate.querySelector('form')!;
    expect(form.querySelector<HTMLInputElement>('input[name="queue_admission"]')?.value).to.equal(
      firstGate.admission,
    );
    const types = [...root.querySelectorAll('#log-list .log-type')].map((n) => n.textContent);
    expect(types).to.include.members([
      'queue-gate-change',
      'queue-gate-admit',
      'queue-gate-admitted',
    ]);
  });

  it('shows the simulated line and lets Reset put a new visitor on stage', async () => {
    const issuedBefore = Number(
      root.querySelector('#mock-issued')?.textContent?.replace(/\D/g, ''),
    );
    expect(issuedBefore).to.be.at.least(101);
    root.querySelector<HTMLButtonElement>('#mock-reset')!.click();
    const fresh = root.querySelector<QueueGateElement>('#gate-host queue-gate')!;
    expect(fresh).not.to.equal(firstGate);
    expect(firstGate.isConnected).to.equal(false);
    await oneEvent(fresh, 'queue-gate-change');
    expect(fresh.status).to.be.oneOf(['joining', 'waiting']);
  });

  it('passes an automated accessibility check of the whole page', async () => {
    await expect(root).to.be.accessible();
  });

  it("passes the same check on live mode's operator panel markup", async () => {
    const live = root.querySelector<HTMLElement>('#live-panel')!;
    live.hidden = false;
    try {
      await expect(live).to.be.accessible();
    } finally {
      live.hidden = true;
    }
  });

  it('switches the waiting room to Korean in place', () => {
    const gate = root.querySelector<QueueGateElement>('#gate-host queue-gate')!;
    mode.setLang('ko');
    expect(gate.lang).to.equal('ko');
    expect(root.querySelector('#gate-host queue-gate')).to.equal(gate);
    expect(gate.querySelector('button')?.textContent).to.equal('예약');
  });
});
