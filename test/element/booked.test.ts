import { expect, html } from '@open-wc/testing';
import type { FetchLike, QueueGateElement } from '../../src/index.js';
import { hasDefaultSlot, shadowText } from './fake-engine.js';
import {
  advanceUntil,
  mountSimulatedGate,
  simulatedWorld,
  type SimulatedWorld,
} from './helpers/simulated-gate.js';

const MIN = 60_000;

/** A booking backend over the simulator: each place books once, like `queue-gate/verify`. */
function bookingBackend(w: SimulatedWorld): FetchLike {
  return async (input) => {
    const bearer = /^Bearer (.+)$/.exec((input as Request).headers.get('Authorization') ?? '');
    const outcome = await w.sim.book(bearer?.[1] ?? '');
    if (outcome === 'booked') return Response.json({ booked: true });
    const code = outcome === 'admission_used' ? 'admission_used' : 'token_bad_signature';
    return Response.json(
      { error: { code, message: code } },
      { status: code === 'admission_used' ? 409 : 401 },
    );
  };
}

interface Journey {
  w: SimulatedWorld;
  el: QueueGateElement;
  /** `type:detail` of every element event since mounting. */
  events: string[];
}

async function mount(w: SimulatedWorld): Promise<Journey> {
  const el = await mountSimulatedGate(
    w,
    html`<form>
      <label>Name <input id="name" name="name" /></label>
    </form>`,
  );
  el.fetchImplementation = bookingBackend(w);
  const events: string[] = [];
  el.addEventListener('queue-gate-booked', (e) => events.push(`booked:${e.outcome}`));
  el.addEventListener('queue-gate-error', (e) => events.push(`error:${e.problem.code}`));
  return { w, el, events };
}

async function admittedJourney(): Promise<Journey> {
  const journey = await mount(simulatedWorld());
  journey.w.sim.advance(11);
  expect(
    await advanceUntil(journey.w, journey.el, () => journey.el.status === 'admitted'),
    'never admitted',
  ).to.equal(true);
  return journey;
}

const post = (el: QueueGateElement) =>
  el.fetch('/api/book', { method: 'POST', body: JSON.stringify({ name: 'Kim' }) });

/** Lets simulated minutes pass, re-rendering as they go. */
async function wait(j: Journey, ms: number): Promise<void> {
  await j.w.clock.advance(ms);
  j.el.requestUpdate();
  await j.el.updateComplete;
}

describe('<queue-gate> after the booking', () => {
  it('says "Booking complete" after a gate.fetch booking and never asks to claim again', async () => {
    const j = await admittedJourney();
    const response = await post(j.el);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ booked: true });
    await j.el.updateComplete;
    expect(j.el.status).to.equal('booked');
    expect(hasDefaultSlot(j.el), 'the site’s confirmation stays in view').to.equal(true);
    expect(shadowText(j.el)).to.include('Booking complete');
    const requests = j.w.sim.requests.length;

    // Long past the admission's two minutes.
    await wait(j, 10 * MIN);
    expect(j.el.status).to.equal('booked');
    expect(shadowText(j.el)).to.not.include('expired');
    expect(j.el.shadowRoot!.querySelector('[part="reclaim-button"]') === null).to.equal(true);
    expect(hasDefaultSlot(j.el)).to.equal(true);
    expect(j.events).to.deep.equal(['booked:booked']);
    expect(j.w.sim.requests.length, 'nothing polled or claimed').to.equal(requests);
  });

  it('shows the done screen after a reload, and joins again only from its button', async () => {
    const j = await admittedJourney();
    await post(j.el);
    j.el.remove();

    const reloaded = await mount(j.w);
    await reloaded.el.updateComplete;
    expect(reloaded.el.status).to.equal('booked');
    expect(hasDefaultSlot(reloaded.el), 'a fresh form without an admission stays hidden').to.equal(
      false,
    );
    expect(shadowText(reloaded.el)).to.include('Booking complete');
    await wait(reloaded, 5 * MIN);
    expect(j.w.sim.requests.filter((r) => r.path.endsWith('/join'))).to.have.length(1);
    expect(reloaded.events, 'a reload is not a new booking').to.deep.equal([]);
    await expect(reloaded.el).to.be.accessible();

    reloaded.el.shadowRoot!.querySelector<HTMLButtonElement>('[part="rejoin-button"]')!.click();
    expect(await advanceUntil(j.w, reloaded.el, () => reloaded.el.status === 'waiting')).to.equal(
      true,
    );
    expect(reloaded.el.seq).to.equal(12);
  });

  it('takes a 409 admission_used from gate.fetch as "already used", not as a connection problem', async () => {
    const j = await admittedJourney();
    // The same place was booked from another tab a moment ago.
    expect(await j.w.sim.book(j.el.admission!)).to.equal('booked');
    const response = await post(j.el);
    expect(response.status).to.equal(409);
    await j.el.updateComplete;
    expect(j.el.status).to.equal('booked');
    const text = shadowText(j.el);
    expect(text).to.include('This place was already used to book');
    expect(text).to.not.include('Connection lost');
    expect(j.events).to.deep.equal(['booked:already-used']);
    expect(j.el.shadowRoot!.querySelector('[part="rejoin-button"]') !== null).to.equal(true);
    await expect(j.el).to.be.accessible();
  });

  it('keeps the admission for reads and for refusals that are the site’s own', async () => {
    const j = await admittedJourney();
    const answers = [
      Response.json({ seats: 3 }),
      Response.json({ error: { code: 'invalid_body', message: 'date?' } }, { status: 400 }),
      Response.json({ error: { code: 'seat_taken', message: 'taken' } }, { status: 409 }),
      new Response('<p>conflict</p>', { status: 409, headers: { 'Content-Type': 'text/html' } }),
    ];
    j.el.fetchImplementation = async () => answers.shift()!;
    expect((await j.el.fetch('/api/seats')).status).to.equal(200);
    for (let i = 0; i < 3; i++) await post(j.el);
    expect(j.el.status).to.equal('admitted');
    expect(j.el.admission).to.be.a('string');
    expect(j.events).to.deep.equal([]);
  });

  it('ends the journey on gate.complete(), for a form sent some other way', async () => {
    const j = await admittedJourney();
    j.el.complete();
    await j.el.updateComplete;
    expect(j.el.status).to.equal('booked');
    expect(j.events).to.deep.equal(['booked:booked']);
    await wait(j, 5 * MIN);
    expect(j.events).to.deep.equal(['booked:booked']);
  });

  it('does not call the admission expired while a booking is out, and books on a late answer', async () => {
    const j = await admittedJourney();
    let answer: (response: Response) => void = () => {};
    j.el.fetchImplementation = () => new Promise<Response>((resolve) => (answer = resolve));
    const sent = post(j.el);

    await wait(j, 3 * MIN);
    expect(shadowText(j.el)).to.not.include('expired');
    expect(hasDefaultSlot(j.el)).to.equal(true);
    expect(j.events).to.deep.equal([]);

    answer(Response.json({ booked: true }));
    await sent;
    await j.el.updateComplete;
    expect(j.el.status).to.equal('booked');
    expect(j.events).to.deep.equal(['booked:booked']);
  });

  it('still reports an admission that expired during a booking the backend refused', async () => {
    const j = await admittedJourney();
    let answer: (response: Response) => void = () => {};
    j.el.fetchImplementation = () => new Promise<Response>((resolve) => (answer = resolve));
    const sent = post(j.el);
    await wait(j, 3 * MIN);
    answer(Response.json({ error: { code: 'token_expired', message: 'late' } }, { status: 401 }));
    await sent;
    await j.el.updateComplete;
    expect(j.el.status).to.equal('admitted');
    expect(j.events).to.deep.equal(['error:admission_expired']);
    expect(shadowText(j.el)).to.include('Your admission expired');
  });
});
