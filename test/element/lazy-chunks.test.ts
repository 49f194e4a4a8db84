// The second language and the rare screens are chunks loaded on demand. These tests load the
// real chunks (dynamic imports of the source modules), hold a load open to see what shows
// meanwhile, and make loads fail to see the plain fallback.
import { expect } from '@open-wc/testing';
import '../../src/index.js';
import type { QueueSnapshot } from '../../src/core/types.js';
import { registerTranslationLoader, type QueueGateElement } from '../../src/index.js';
import { setRareScreensLoader } from '../../src/element/rare-screen-loader.js';
import { rareScreens, type RareScreens } from '../../src/element/rare-screens.js';
import { html, nothing } from 'lit';
import { countdownClock } from '../../src/element/turn-countdown.js';
import { FakeEngine, NOW, factoryFor, shadowText } from './fake-engine.js';

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 1234,
  position: 56,
  lastUpdatedAt: NOW,
};
const preOpen: Partial<QueueSnapshot> = {
  status: 'waiting',
  opensAt: NOW + 9 * 60_000 + 5000,
  ticketExpiresAt: NOW + 86_400_000,
  lastUpdatedAt: NOW,
};

/** Adds a gate to the page without waiting for it, and records every text its shadow shows. */
function mountWatched(engine: FakeEngine, lang: string) {
  const el = document.createElement('queue-gate');
  el.room = 'vaccine';
  el.endpoint = 'https://queue.test';
  el.engineFactory = factoryFor(engine);
  el.now = () => NOW;
  el.setAttribute('lang', lang);
  document.body.append(el);
  const seen: string[] = [];
  const observer = new MutationObserver(() => seen.push(shadowText(el)));
  observer.observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
  return { el, seen, stop: () => (observer.disconnect(), el.remove()) };
}

const countdownShown = (el: QueueGateElement) =>
  el.shadowRoot!.querySelector('[part="countdown"]') !== null;

afterEach(() => setRareScreensLoader(null));

describe('<queue-gate> chunks loaded on demand', () => {
  it('loads Korean on demand and never shows an English sentence meanwhile', async () => {
    const { el, seen, stop } = mountWatched(new FakeEngine(waiting), 'ko');
    try {
      await el.updateComplete;
      expect(shadowText(el)).to.include('대기 번호');
      expect(shadowText(el)).to.include('1,234');
      // What showed before the chunk arrived: the panel with its spinner, and no English.
      expect(seen.length).to.be.greaterThan(1);
      for (const text of seen) expect(text).to.not.match(/Your number|Getting your place/);
      expect(el.shadowRoot!.querySelector('[part="panel"]')!.getAttribute('lang')).to.equal('ko');
    } finally {
      stop();
    }
  });

  it('falls back to English when a language chunk fails to load', async () => {
    registerTranslationLoader('ja', () => Promise.reject(new TypeError('Failed to fetch')));
    const { el, stop } = mountWatched(new FakeEngine(waiting), 'ja');
    try {
      await el.updateComplete;
      expect(shadowText(el)).to.include('Your number');
      expect(el.shadowRoot!.querySelector('[part="panel"]')!.getAttribute('aria-busy')).to.equal(
        null,
      );
    } finally {
      stop();
    }
  });

  it('keeps the joining heading while the opening-day screen loads, then shows it', async () => {
    let release!: (screens: RareScreens) => void;
    setRareScreensLoader(() => new Promise((resolve) => (release = resolve)));
    const { el, seen, stop } = mountWatched(new FakeEngine(preOpen), 'en');
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(shadowText(el)).to.include('Getting your place in line');
      expect(countdownShown(el)).to.equal(false);
      release(rareScreens({ html, nothing, countdownClock }));
      await el.updateComplete;
      expect(shadowText(el)).to.include('The waiting room opens soon');
      expect(countdownShown(el)).to.equal(true);
      expect(seen.some((text) => text.includes('Your number'))).to.equal(false);
    } finally {
      stop();
    }
  });

  it('loads the real opening-day chunk', async () => {
    const { el, stop } = mountWatched(new FakeEngine(preOpen), 'en');
    try {
      await el.updateComplete;
      expect(shadowText(el)).to.include('Opens in 9:05');
    } finally {
      stop();
    }
  });

  it('says the plain, correct message when the screens chunk fails to load', async () => {
    setRareScreensLoader(() => Promise.reject(new TypeError('Failed to fetch')));
    const { el, stop } = mountWatched(new FakeEngine(preOpen), 'en');
    try {
      await el.updateComplete;
      const text = shadowText(el);
      expect(text).to.include('The waiting room opens soon');
      expect(text).to.include('It opens at');
      expect(countdownShown(el)).to.equal(false);
      expect(el.shadowRoot!.querySelector('h2#title')).to.not.equal(null);
    } finally {
      stop();
    }
  });
});
