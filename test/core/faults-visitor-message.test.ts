import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { createManualClock, createQueueEngine } from '../../src/core/index.js';
import { createQueueSimulator, type Fault } from '../../src/mocks/index.js';
import type { EngineFactory, QueueGateElement } from '../../src/index.js';
import { memoryStorage } from './helpers/test-doubles.js';
import { START, mountWaitingGate } from '../element/helpers/simulated-gate.js';

const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
const shownPosition = (el: QueueGateElement) =>
  el.shadowRoot?.querySelector('[part="position"]')?.textContent?.trim() ?? null;

/** A visitor at seq 11 in a real `<queue-gate>` over the real engine and the simulator. */
const gate = mountWaitingGate;

/**
 * An overloaded server answered and said when to come back: its screen shows at once. A hang
 * or a captive portal is one failed request of a flaky network: the screen stays, with a small
 * "Reconnecting…" line, until failures last (see `quiet-reconnect.ts`).
 */
const CASES: { name: string; fault: Fault; says: string[]; retryIn: string | null }[] = [
  {
    name: 'an overloaded server (503, Retry-After: 30)',
    fault: { kind: 'status', status: 503, retryAfterSeconds: 30 },
    says: ['The waiting room is very busy', 'Your place in line is kept', 'Try again in 30 s'],
    retryIn: 'Trying again in 31 s.',
  },
  {
    name: 'rate limiting (429, Retry-After: 12)',
    fault: { kind: 'status', status: 429, retryAfterSeconds: 12 },
    says: ['The waiting room is very busy', 'Your place in line is kept', 'Try again in 12 s'],
    retryIn: 'Trying again in 13 s.',
  },
  {
    name: 'a hang past the timeout',
    fault: { kind: 'hang' },
    says: ['You are in line', 'Reconnecting…'],
    retryIn: null,
  },
  {
    name: 'a captive portal’s HTML',
    fault: { kind: 'wrong-content-type' },
    says: ['You are in line', 'Reconnecting…'],
    retryIn: null,
  },
];

describe('what the visitor is told during faults', () => {
  for (const c of CASES) {
    it(`tells the visitor about ${c.name}, keeps the number shown and the form closed`, async () => {
      const { clock, sim, el } = await gate();
      expect(shownPosition(el)).to.equal('11');
      sim.failNext(1, c.fault);
      await clock.runNext();
      if (c.fault.kind === 'hang') await clock.advance(10_000);
      await waitUntil(() => el.status === 'reconnecting', 'never reconnecting');
      await el.updateComplete;

      expect(el.status).to.equal('reconnecting');
      const said = text(el);
      for (const phrase of c.says) expect(said).to.include(phrase);
      if (c.retryIn) expect(said).to.include(c.retryIn);
      else expect(said).to.not.include('Connection lost');
      expect(shownPosition(el)).to.equal('11');
      expect(el.shadowRoot?.querySelector('slot:not([name])')).to.equal(null);
      expect(el.shadowRoot?.querySelector('[role="status"]')?.textContent).to.include(c.says[0]!);
    });
  }

  it('says the connection is lost, not that the server is busy, when the browser is offline', async () => {
    const { clock, sim, el } = await gate();
    sim.setOffline(true);
    // The first failures are retried quietly; the screen changes once they last.
    for (let i = 0; i < 4 && !text(el).includes('Connection lost'); i++) {
      await clock.runNext();
      el.requestUpdate();
      await el.updateComplete;
    }
    const said = text(el);
    expect(said).to.include('Connection lost').and.include('cannot reach the waiting room');
    expect(said).to.not.include('very busy');
  });
});

describe('what the visitor is told when the clock was set back while admitted', () => {
  it('closes the form and offers a new claim when the admission really ran out', async () => {
    const clock = createManualClock(START);
    let offset = 0;
    const device = {
      now: () => clock.now() + offset,
      setTimeout: clock.setTimeout,
      clearTimeout: clock.clearTimeout,
    };
    const sim = createQueueSimulator({ now: clock.now, issued: 0, serving: 5 });
    const factory: EngineFactory = ({ room, endpoint }) =>
      createQueueEngine({
        room,
        endpoint,
        fetch: sim.fetch,
        clock: device,
        storage: memoryStorage(),
        witnessStorage: memoryStorage(),
        coordinator: null,
        random: () => 0.5,
      });
    const el = await fixture<QueueGateElement>(html`
      <queue-gate
        room="demo"
        endpoint="https://queue.test"
        lang="en"
        .engineFactory=${factory}
        .now=${device.now}
      >
        <form><input name="name" /></form>
      </queue-gate>
    `);
    const formOpen = () => el.shadowRoot?.querySelector('slot:not([name])') != null;
    await waitUntil(formOpen, 'never admitted');

    offset = -60 * 60 * 1000;
    await clock.advance(119_000);
    await el.updateComplete;
    expect(formOpen(), 'closed early').to.equal(true);
    await clock.advance(1000);
    await waitUntil(() => !formOpen(), 'the form stayed open with a dead admission');
    expect(text(el)).to.include('Claim admission again');
  });
});
