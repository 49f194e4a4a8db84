/**
 * The screenshot suite of one language: every screen (`states.ts`) on every screen kind below,
 * checked for overflow and split words, then compared with its committed baseline
 * (`scripts/screenshot-plugin.mjs`; `npm run screenshots:update` redraws them).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/index.js';
import type { QueueGateElement } from '../../../src/index.js';
import { FakeEngine, NOW, factoryFor, hasDefaultSlot } from '../fake-engine.js';
import { brokenWords, overflowing } from './screen-checks.js';
import { SCREEN_STATES, type ScreenState } from './states.js';

/** A screen to photograph on: its size, and the visitor's display settings. */
export interface ScreenKind {
  name: string;
  width: number;
  height: number;
  deviceScaleFactor: number;
  colorScheme: 'light' | 'dark';
  forcedColors: boolean;
  /** The page's own CSS `color-scheme` (what the element follows by default). */
  pageScheme: string;
}

const phone = {
  width: 390,
  height: 844,
  deviceScaleFactor: 1,
  colorScheme: 'light',
  forcedColors: false,
  pageScheme: 'normal',
} as const;

/**
 * 200 % zoom of a 390 px phone is what the browser does at that zoom: the layout viewport is
 * 195 CSS px and each CSS px is drawn with 2 device pixels. (Scaling a 390 px layout would
 * only enlarge the picture; it would never test reflow.)
 */
export const SCREEN_KINDS: ScreenKind[] = [
  { ...phone, name: 'phone' },
  { ...phone, name: 'desktop', width: 1280, height: 900 },
  { ...phone, name: 'zoom', width: 195, height: 422, deviceScaleFactor: 2 },
  // A page that follows the visitor's dark setting, as the element then does.
  { ...phone, name: 'dark', colorScheme: 'dark', pageScheme: 'light dark' },
  { ...phone, name: 'forced', forcedColors: true },
];

/**
 * Fonts every Debian machine with the CI packages has: the same pixels on each. English names
 * one font only: with a second one listed as a fallback, some runs drew its figures a fraction
 * of a pixel lower while the Korean suite ran beside it.
 */
const FONTS = {
  en: '"DejaVu Sans", sans-serif',
  ko: '"Noto Sans CJK KR", "DejaVu Sans", sans-serif',
} as const;
/** Time zones of the pictured visitors (clock times are part of the pictures). */
const TIME_ZONES = { en: 'Europe/London', ko: 'Asia/Seoul' } as const;
const WORDS = {
  en: { event: 'Winter concert', name: 'Name', book: 'Book' },
  ko: { event: '겨울 음악회', name: '이름', book: '예약하기' },
} as const;

type Lang = keyof typeof FONTS;

/** Lets the element's asynchronous work (a hand-off, a chunk) finish, without frames. */
async function settle(el: QueueGateElement, state: ScreenState): Promise<void> {
  await el.updateComplete;
  const revealing = state.steps.at(-1)?.status === 'admitted' && state.name === 'admitted';
  for (let waited = 0; revealing && !hasDefaultSlot(el) && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await el.updateComplete;
  await document.fonts.ready;
  // Transitions at their end, the spinner still at its start: a picture of something moving is
  // never the same twice.
  for (const animation of el.shadowRoot!.getAnimations()) {
    if (animation instanceof CSSTransition) {
      animation.finish();
    } else {
      animation.pause();
      animation.currentTime = 0;
    }
  }
}

/** Mounts the element on `state`'s screen, as a booking page would hold it. */
export async function mountScreen(state: ScreenState, lang: Lang): Promise<QueueGateElement> {
  // What earlier screens stored (the progress bar's starting point) must not change this one.
  localStorage.clear();
  sessionStorage.clear();
  const engine = new FakeEngine();
  const words = WORDS[lang];
  document.body.style.fontFamily = FONTS[lang];
  const el = await fixture<QueueGateElement>(html`
    <queue-gate
      room="demo"
      endpoint="https://queue.test"
      lang=${lang}
      style="--queue-gate-font: ${FONTS[lang]}"
      .engineFactory=${factoryFor(engine)}
      .now=${() => NOW}
    >
      <p slot="header" style="margin: 0 0 0.5rem; font-weight: 600">${words.event}</p>
      <form>
        <p>
          <label>${words.name} <input name="name" value="Kim Minji" /></label>
        </p>
        <button>${words.book}</button>
      </form>
    </queue-gate>
  `);
  for (const step of state.steps) engine.push(step);
  await settle(el, state);
  return el;
}

/** Emulates `kind` for the test page (`scripts/screenshot-plugin.mjs`). */
export async function emulate(kind: ScreenKind, lang: Lang): Promise<void> {
  const { width, height, deviceScaleFactor, colorScheme, forcedColors } = kind;
  await executeServerCommand('screenshot-emulate', {
    width,
    height,
    deviceScaleFactor,
    colorScheme,
    forcedColors,
    timezone: TIME_ZONES[lang],
  });
  document.documentElement.style.colorScheme = kind.pageScheme;
}

interface Comparison {
  passed: boolean;
  message?: string;
}

/**
 * Photographs the panel (or the whole element when it shows the revealed form) and compares it
 * with its baseline: only the panel, so the pictures stay small.
 */
async function compareWithBaseline(el: HTMLElement, name: string): Promise<Comparison> {
  const box = (el.shadowRoot!.querySelector('[part="panel"]') ?? el).getBoundingClientRect();
  const x = Math.floor(box.left + window.scrollX);
  const y = Math.floor(box.top + window.scrollY);
  const clip = {
    x,
    y,
    width: Math.ceil(box.right + window.scrollX) - x,
    height: Math.ceil(box.bottom + window.scrollY) - y,
  };
  return executeServerCommand<Comparison, { name: string; clip: typeof clip }>(
    'screenshot-compare',
    { name, clip },
  );
}

/** Declares the suite of `lang`. */
export function screenshotSuite(lang: Lang): void {
  describe(`<queue-gate> screenshots in ${lang}`, () => {
    after(async () => {
      await emulate(SCREEN_KINDS[0]!, lang);
      document.documentElement.style.colorScheme = '';
      document.body.style.fontFamily = '';
    });

    for (const kind of SCREEN_KINDS) {
      describe(`on a ${kind.name} screen`, () => {
        before(() => emulate(kind, lang));

        for (const state of SCREEN_STATES) {
          it(`draws the ${state.name} screen within its panel, each word on one line`, async () => {
            const el = await mountScreen(state, lang);
            expect(overflowing(el), 'nothing wider than the panel').to.deep.equal([]);
            expect(brokenWords(el), 'no word split across lines').to.deep.equal([]);
            const result = await compareWithBaseline(el, `${state.name}-${lang}-${kind.name}`);
            expect(result.passed, result.message).to.equal(true);
          });
        }
      });
    }
  });
}
