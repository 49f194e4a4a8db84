/**
 * QA audit: the mock scenarios' line moves at the pace each scenario describes. "Normal" says
 * "the line moves two places a second"; the waiting screen must not show the visitor at the
 * front while dozens are still ahead (found: the demo showed "No one" ahead three seconds after
 * joining, with 33 people in line in the figures beside it).
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { startMockMode } from '../../demo/mock-mode.js';
import type { QueueGateElement } from '../../src/element/queue-gate-element.js';
import { demoModeContext, loadDemoPage } from './demo-page.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('QA audit: the pace of the mock line', () => {
  let root: HTMLElement;
  let gate: QueueGateElement;

  before(async () => {
    root = await loadDemoPage();
    await startMockMode(demoModeContext(root), 'normal');
    gate = root.querySelector<QueueGateElement>('#gate-host queue-gate')!;
    await waitUntil(() => gate.status === 'waiting' && gate.position !== null, 'never joined', {
      timeout: 5000,
    });
  });

  after(() => root.remove());

  it('moves the visitor about two places a second in "Normal", not ten times faster', async () => {
    const joinedAt = gate.position!;
    expect(joinedAt, 'about sixty ahead at join').to.be.within(50, 70);
    await sleep(3000);
    // Two places a second for three seconds, plus a second of rounding and scheduling slack.
    expect(gate.position, 'places ahead three seconds later').to.be.at.least(joinedAt - 8);
  });

  it('shows the same line on the waiting screen and in the figures beside it', async () => {
    const figure = (id: string) =>
      Number(root.querySelector(id)?.textContent?.replace(/\D/g, '') ?? NaN);
    await waitUntil(() => figure('#mock-issued') > 0, 'figures never shown', { timeout: 3000 });
    const inLine = gate.seq! - figure('#mock-serving');
    // The screen is as old as its last poll (about six seconds here, at two places a second), and
    // its estimate between polls may run a little ahead; it never runs to the front.
    expect(gate.position).to.be.within(inLine - 4, inLine + 15);
  });
});
