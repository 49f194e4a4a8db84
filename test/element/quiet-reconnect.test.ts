/**
 * A flaky network: one failed request must not throw up the "Connection lost" screen. The
 * waiting screen stays, with a small "Reconnecting…" line in space kept for it (the layout
 * does not move) and nothing announced; failures that last change the screen once, announced
 * once. The real engine over the mock server, on a manual clock.
 */
import { expect } from '@open-wc/testing';
import type { QueueGateElement } from '../../src/index.js';
import { LOST_AFTER_MS } from '../../src/element/quiet-reconnect.js';
import { mountWaitingGate, type MountedWorld } from './helpers/simulated-gate.js';
import { FakeEngine, NOW } from './fake-engine.js';
import {
  SCREEN_STATES,
  liveText,
  mountGate,
  variantsOf,
  visibleText,
} from './helpers/screen-states.js';

const title = (el: QueueGateElement) =>
  el.shadowRoot!.querySelector('[part="title"]')?.textContent?.trim() ?? '';
const panelHeight = (el: QueueGateElement) =>
  el.shadowRoot!.querySelector('[part="panel"]')!.getBoundingClientRect().height;

/** Runs the next timer (the engine's poll or retry) and renders what follows. */
async function next(world: MountedWorld): Promise<void> {
  await world.clock.runNext();
  world.el.requestUpdate();
  await world.el.updateComplete;
}

/** Everything the live region says from now on. */
function recordAnnouncements(el: QueueGateElement): string[] {
  const said: string[] = [];
  const region = el.shadowRoot!.querySelector('[role="status"]')!;
  new MutationObserver(() => said.push(liveText(el))).observe(region, {
    childList: true,
    characterData: true,
    subtree: true,
  });
  return said;
}

describe('a flaky network', () => {
  it('keeps the waiting screen still through one failed request', async () => {
    const world = await mountWaitingGate();
    const { el, sim } = world;
    const height = panelHeight(el);
    const heard = recordAnnouncements(el);
    expect(visibleText(el)).to.not.include('Reconnecting…');

    sim.failNext(1, { kind: 'network' });
    await next(world);
    expect(el.status, 'the core tells the truth').to.equal('reconnecting');
    expect(title(el)).to.equal('You are in line');
    expect(visibleText(el)).to.include('Reconnecting…').and.not.include('Connection lost');
    expect(panelHeight(el), 'the layout moved').to.equal(height);

    await next(world);
    expect(el.status).to.equal('waiting');
    expect(visibleText(el)).to.not.include('Reconnecting…');
    expect(panelHeight(el)).to.equal(height);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard, 'nothing announced').to.deep.equal([]);
  });

  it('changes the screen once failures last, and says so once', async () => {
    const world = await mountWaitingGate();
    const { el, sim, clock } = world;
    const heard = recordAnnouncements(el);
    const since = clock.now();
    sim.setOffline(true);
    const titles: string[] = [];
    for (let i = 0; i < 8; i++) {
      await next(world);
      titles.push(title(el));
    }
    expect(clock.now() - since, 'failures lasted').to.be.greaterThan(LOST_AFTER_MS);
    const lostAt = titles.indexOf('Connection lost');
    expect(lostAt, titles.join(' / ')).to.be.greaterThan(0);
    expect(titles.slice(0, lostAt).every((t) => t === 'You are in line')).to.equal(true);
    expect(titles.slice(lostAt).every((t) => t === 'Connection lost')).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard.filter((s) => s.startsWith('Connection lost'))).to.have.length(1);
    expect(heard).to.have.length(1);

    sim.setOffline(false);
    for (let i = 0; i < 5 && el.status !== 'waiting'; i++) await next(world);
    expect(title(el)).to.equal('You are in line');
  });

  for (const [lang, age, says] of [
    ['en', 30_000, 'About 1–3 min'],
    ['en', 61_000, 'Last known: about 1–3 min. We’ll update when we reconnect.'],
    [
      'ko',
      61_000,
      '마지막으로 확인한 예상 시간은 약 1~3분입니다. 다시 연결되면 새로 알려 드리겠습니다.',
    ],
  ] as const) {
    it(`marks the estimate as out of date only after a minute without an answer (${age / 1000} s, ${lang})`, async () => {
      const lost = variantsOf(SCREEN_STATES.find((s) => s.name === 'connection lost')!)[0]![1];
      const engine = new FakeEngine();
      const el = await mountGate(engine, lang);
      engine.push({ ...lost, lastUpdatedAt: NOW - age });
      await el.updateComplete;
      const eta = el.shadowRoot!.querySelector('[part="eta"]')!.textContent!;
      expect(eta.replace(/\s+/gu, ' ').trim()).to.equal(says);
    });
  }
});
