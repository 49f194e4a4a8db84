import { expect, html } from '@open-wc/testing';
import type { QueueGateElement } from '../../src/index.js';
import { createQueueEngine } from '../../src/core/index.js';
import type { EngineFactory } from '../../src/index.js';
import { memoryStorage } from '../core/helpers/test-doubles.js';
import { hasDefaultSlot, shadowText } from './fake-engine.js';
import {
  advanceUntil,
  mountSimulatedGate,
  simulatedWorld,
  type SimulatedWorld,
} from './helpers/simulated-gate.js';

/**
 * The simulated world behind a queue server that refuses the page's origin, as the real one
 * does: join and admit answer `403 origin_not_allowed` with `Retry-After: 60` (readable, CORS
 * headers included); the public state stays readable.
 */
function refusingWorld(): { world: SimulatedWorld; joins: () => number } {
  const base = simulatedWorld();
  let joins = 0;
  const refusing = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.method === 'POST') {
      if (request.url.endsWith('/join')) joins += 1;
      return new Response(
        JSON.stringify({
          error: { code: 'origin_not_allowed', message: 'This origin may not call this room.' },
        }),
        {
          status: 403,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '60' },
        },
      );
    }
    return base.sim.fetch(request);
  }) as typeof fetch;
  const factory: EngineFactory = ({ room, endpoint }) =>
    createQueueEngine({
      room,
      endpoint,
      fetch: refusing,
      clock: base.clock,
      storage: base.storage,
      witnessStorage: memoryStorage(),
      coordinator: null,
      random: () => 0.5,
    });
  return { world: { ...base, factory }, joins: () => joins };
}

describe('<queue-gate> on a page whose origin the room does not allow', () => {
  for (const [lang, title] of [
    ['en', 'This page is not set up for this waiting room'],
    ['ko', '이 페이지는 이 대기실과 연결되어 있지 않습니다'],
  ] as const) {
    it(`says so in ${lang}, tells the page once, claims no place and asks again only slowly`, async () => {
      const { world, joins } = refusingWorld();
      const errors: string[] = [];
      const el: QueueGateElement = await mountSimulatedGate(world, html`<form></form>`, { lang });
      el.addEventListener('queue-gate-error', (event) => errors.push(event.problem.code));
      expect(await advanceUntil(world, el, () => shadowText(el).includes(title))).to.equal(true);
      await world.clock.advance(180_000);
      await el.updateComplete;
      expect(shadowText(el)).to.include(title);
      expect(shadowText(el)).not.to.match(/place is kept|순번은 .*유지/);
      expect(errors).to.deep.equal(['origin_not_allowed']);
      expect(el.seq, 'no place').to.equal(null);
      // A minute apart (plus jitter), not the seconds of a lost connection's first retries.
      expect(joins()).to.be.within(2, 4);
      expect(hasDefaultSlot(el), 'nobody is let through').to.equal(false);
      await expect(el).to.be.accessible();
    });
  }
});
