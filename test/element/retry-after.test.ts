/**
 * "Try now" on the "very busy" screen waits for the server's `Retry-After`: a million thumbs
 * must not hammer an overloaded server. The real engine over the mock server (503 with
 * `Retry-After: 12` on the first join), on a manual clock.
 */
import { expect } from '@open-wc/testing';
import type { QueueGateElement } from '../../src/index.js';
import {
  advanceUntil,
  mountSimulatedGate,
  simulatedWorld,
  type SimulatedWorld,
} from './helpers/simulated-gate.js';
import { shadowText } from './fake-engine.js';

const button = (el: QueueGateElement) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!;

/** The visitor's first join is refused: 503 `overloaded`, come back in 12 s. */
async function busyFirstJoin(lang = 'en'): Promise<SimulatedWorld & { el: QueueGateElement }> {
  const world = simulatedWorld();
  world.sim.failNext(1, {
    kind: 'status',
    status: 503,
    code: 'overloaded',
    retryAfterSeconds: 12,
  });
  const el = await mountSimulatedGate(world, undefined, { lang });
  const busy = await advanceUntil(world, el, () => el.status === 'reconnecting', {
    steps: 20,
    stepMs: 10,
  });
  expect(busy, `still ${el.status}`).to.equal(true);
  await el.updateComplete;
  return { ...world, el };
}

/** Moves the clock by `ms` and renders what the visitor then sees. */
async function wait(world: SimulatedWorld, el: QueueGateElement, ms: number): Promise<void> {
  await world.clock.advance(ms);
  el.requestUpdate();
  await el.updateComplete;
}

const joins = (world: SimulatedWorld) =>
  world.sim.requests.filter((r) => r.path.endsWith('/join')).length;

describe('"Try now" and the server’s Retry-After', () => {
  it('is disabled with a countdown until the server’s time, then asks at once', async () => {
    const world = await busyFirstJoin();
    const { el } = world;
    const text = shadowText(el);
    expect(text).to.include('The waiting room is very busy');
    // No ticket: nothing is kept, and the screen does not pretend otherwise.
    expect(text).to.include('You are not in the line yet; we keep trying');
    expect(text).to.not.match(/place (in line )?is kept/);
    expect([button(el).disabled, button(el).textContent!.trim()]).to.deep.equal([
      true,
      'Try again in 12\u00a0s',
    ]);

    await wait(world, el, 5000);
    expect(button(el).textContent!.trim()).to.equal('Try again in 7\u00a0s');
    // Even a click that gets through (a script, a stale page) sends nothing early.
    el.retry();
    await el.updateComplete;
    expect(joins(world)).to.equal(1);

    await wait(world, el, 7000);
    expect([button(el).disabled, button(el).textContent!.trim()]).to.deep.equal([false, 'Try now']);
    // The engine's own retry comes later (Retry-After plus its jitter): this is the button's.
    button(el).click();
    const joined = await advanceUntil(world, el, () => el.status === 'waiting', {
      steps: 10,
      stepMs: 10,
    });
    expect(joined, `still ${el.status}`).to.equal(true);
    expect(joins(world)).to.equal(2);
  });

  it('counts down in Korean too', async () => {
    const { el } = await busyFirstJoin('ko');
    expect(button(el).textContent!.trim()).to.equal('12초 후 다시 시도');
    expect(shadowText(el)).to.include('아직 대기열에 들어가지 못했습니다');
  });
});
