import { expect, html } from '@open-wc/testing';
import type { QueueGateElement } from '../../src/index.js';
import { hasDefaultSlot, shadowText } from './fake-engine.js';
import {
  advanceUntil,
  mountSimulatedGate,
  simulatedWorld as world,
  type SimulatedWorld as World,
} from './helpers/simulated-gate.js';

const mount = (w: World): Promise<QueueGateElement> =>
  mountSimulatedGate(
    w,
    html`<form>
      <label>Name <input id="name" name="name" /></label>
    </form>`,
  );

/** Moves the manual clock a second at a time (at most ten simulated minutes) until `done`. */
async function until(w: World, el: QueueGateElement, done: () => boolean): Promise<void> {
  expect(
    await advanceUntil(w, el, done),
    `still ${el.status} after ten simulated minutes`,
  ).to.equal(true);
}

describe('<queue-gate> with the real engine and the simulator', () => {
  it('joins, waits, and reveals the form with the server’s admission', async () => {
    const w = world();
    const el = await mount(w);
    const events: string[] = [];
    for (const type of ['queue-gate-change', 'queue-gate-admit', 'queue-gate-admitted']) {
      el.addEventListener(type, () => events.push(`${type}:${el.status}`));
    }
    await until(w, el, () => el.status === 'waiting');
    expect(el.seq).to.equal(11);
    expect(shadowText(el)).to.include('10 people');
    expect(hasDefaultSlot(el)).to.equal(false);

    w.sim.advance(11);
    await until(w, el, () => el.status === 'admitted' && hasDefaultSlot(el));
    const admission = el.admission!;
    expect(admission.split('.').length).to.equal(3);
    expect(el.querySelector<HTMLInputElement>('[name="queue_admission"]')!.value).to.equal(
      admission,
    );
    // Focus is on the deadline above the form, so a screen reader reads it before the form.
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('notice admitted-notice');
    expect(events.filter((e) => !e.startsWith('queue-gate-change'))).to.deep.equal([
      'queue-gate-admit:admitted',
      'queue-gate-admitted:admitted',
    ]);
    const admits = w.sim.requests.filter((r) => r.path.endsWith('/admit') && r.status === 200);
    expect(admits.length).to.be.greaterThan(0);
  });

  it('says the connection is lost, keeps the numbers and the gate closed while offline', async () => {
    const w = world();
    const el = await mount(w);
    await until(w, el, () => el.status === 'waiting');
    w.sim.setOffline(true);
    w.sim.advance(11);
    await until(w, el, () => el.status === 'reconnecting');
    await w.clock.advance(30_000);
    await el.updateComplete;
    expect(el.status).to.equal('reconnecting');
    expect(shadowText(el)).to.include('Connection lost').and.include('Your place in line is kept');
    expect(el.shadowRoot!.querySelector('[part="position"]')!.textContent!.trim()).to.equal('11');
    expect(hasDefaultSlot(el)).to.equal(false);
    expect(el.admission).to.equal(null);

    w.sim.setOffline(false);
    await until(w, el, () => el.status === 'admitted');
  });

  it('shows the form again after a reload while the admission is valid', async () => {
    const w = world();
    const first = await mount(w);
    w.sim.advance(11);
    await until(w, first, () => first.status === 'admitted' && hasDefaultSlot(first));
    const admission = first.admission;
    first.remove();

    const reloaded = await mount(w);
    await until(w, reloaded, () => reloaded.status === 'admitted' && hasDefaultSlot(reloaded));
    expect(reloaded.admission).to.equal(admission);
    expect(reloaded.querySelector<HTMLInputElement>('[name="queue_admission"]')!.value).to.equal(
      admission,
    );
    expect(reloaded.seq).to.equal(11);
  });

  it('tells a rejected visitor why and joins again from the button', async () => {
    const w = world();
    const el = await mount(w);
    await until(w, el, () => el.status === 'waiting');
    // The ticket is presented when claiming admission (state polls are anonymous and cacheable).
    w.sim.rejectTickets('token_expired', { untilRejoin: true });
    w.sim.advance(11);
    await until(w, el, () => el.status === 'rejected');
    expect(shadowText(el)).to.include('Your place in line expired');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="rejoin-button"]')!.click();
    await until(w, el, () => el.status === 'waiting');
    expect(el.seq).to.equal(12);
  });

  for (const [lang, title] of [
    ['en', 'This waiting room is not open here'],
    ['ko', '이 대기실은 열려 있지 않습니다'],
  ] as const) {
    it(`says plainly, in ${lang}, when the server has no such room, and tells the page once`, async () => {
      const w = world();
      const errors: string[] = [];
      const el = await mountSimulatedGate(w, html`<form><input name="name" /></form>`, {
        room: 'nowhere',
        lang,
      });
      el.addEventListener('queue-gate-error', (event) => errors.push(event.problem.code));
      await until(w, el, () => shadowText(el).includes(title));
      await w.clock.advance(120_000);
      await el.updateComplete;
      expect(shadowText(el)).to.include(title);
      expect(errors).to.deep.equal(['room_not_found']);
      expect(hasDefaultSlot(el), 'nobody is let through').to.equal(false);
      await expect(el).to.be.accessible();
    });
  }
});
