import { expect } from '@open-wc/testing';
import type { QueueGateElement } from '../../src/index.js';
import { hasDefaultSlot, shadowText } from './fake-engine.js';
import { advanceUntil, mountWaitingGate } from './helpers/simulated-gate.js';

/** Moves `el` into a new container after it, as a re-parenting framework or script does. */
function moveElsewhere(el: QueueGateElement): void {
  const elsewhere = document.createElement('div');
  el.parentElement!.append(elsewhere);
  elsewhere.append(el);
}

/** Records the element's events by type (and status for `queue-gate-change`). */
function recordEvents(el: QueueGateElement): string[] {
  const events: string[] = [];
  for (const type of ['queue-gate-change', 'queue-gate-admit', 'queue-gate-admitted']) {
    el.addEventListener(type, (event) => {
      const status = (event as Event & { status?: string }).status;
      events.push(status ? `${type}:${status}` : type);
    });
  }
  return events;
}

describe('<queue-gate> moved elsewhere in the page (disconnected and connected at once)', () => {
  it('keeps the waiting screen as it was, with no second join', async () => {
    const w = await mountWaitingGate();
    const { el, sim } = w;
    const joins = () => sim.requests.filter((r) => r.path.endsWith('/join')).length;
    const joinsBefore = joins();
    const events = recordEvents(el);

    moveElsewhere(el);
    await el.updateComplete;
    expect(el.status).to.equal('waiting');
    expect(shadowText(el)).to.include('10 people');
    await w.clock.advance(5000);
    await el.updateComplete;
    expect(events, 'the screen never started over').to.deep.equal([]);
    expect(joins()).to.equal(joinsBefore);
  });

  it('keeps the revealed form, its focus and the hand-off as they were', async () => {
    const w = await mountWaitingGate();
    const { el, sim } = w;
    sim.advance(11);
    expect(
      await advanceUntil(w, el, () => el.status === 'admitted' && hasDefaultSlot(el)),
    ).to.equal(true);
    const input = el.querySelector('input')!;
    input.focus();
    const events = recordEvents(el);

    moveElsewhere(el);
    input.focus(); // the move took focus away; the visitor clicks back into the field
    await el.updateComplete;
    await w.clock.advance(2000);
    await el.updateComplete;
    expect(hasDefaultSlot(el), 'the form stays shown').to.equal(true);
    expect(document.activeElement).to.equal(input);
    expect(events, 'no second hand-off').to.deep.equal([]);
  });

  it('still stops its engine when it is removed for good', async () => {
    const w = await mountWaitingGate();
    const { el, sim } = w;
    el.remove();
    await Promise.resolve();
    const sent = sim.requests.length;
    await w.clock.advance(60_000);
    expect(sim.requests.length).to.equal(sent);
  });
});
