/**
 * What the demo page shows, read from and written to its URL, so that every situation QA
 * looks at can be bookmarked and pasted into a bug report.
 */
import { SCENARIO_NAMES, type ScenarioName } from '../src/mocks/scenarios.js';
import { ROOM_ID_PATTERN } from '../src/protocol.js';

/** Languages the page offers (the element's built-in translations). */
export type DemoLang = 'en' | 'ko';

/** The page's state as its URL says it. */
export type DemoUrlState =
  | { mode: 'mock'; scenario: ScenarioName; lang: DemoLang; warning: string | null }
  | { mode: 'live'; room: string; lang: DemoLang; warning: string | null };

/** The scenario shown when the URL names none. */
export const DEFAULT_SCENARIO: ScenarioName = 'normal';

/** The room live mode falls back to: the one the server creates at start. */
export const DEFAULT_LIVE_ROOM = 'demo';

const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

/**
 * Reads the page state from a query string. `?room=` selects live mode and wins over
 * `?scenario=`; anything unknown falls back to a default with a `warning` to show, so a
 * mistyped link still opens a working page.
 *
 * @param search - `location.search` (with or without the leading `?`)
 * @returns the state to render
 * @example
 * ```ts
 * parseDemoUrl('?scenario=surge&lang=ko'); // { mode: 'mock', scenario: 'surge', lang: 'ko', warning: null }
 * ```
 */
export function parseDemoUrl(search: string): DemoUrlState {
  const params = new URLSearchParams(search);
  const lang: DemoLang = params.get('lang') === 'ko' ? 'ko' : 'en';
  const room = params.get('room');
  if (room !== null) {
    if (ROOM_ID_PATTERN.test(room)) return { mode: 'live', room, lang, warning: null };
    return {
      mode: 'live',
      room: DEFAULT_LIVE_ROOM,
      lang,
      warning: `"${room.slice(0, 70)}" is not a valid room id; showing room "${DEFAULT_LIVE_ROOM}".`,
    };
  }
  const scenario = params.get('scenario');
  if (scenario === null || isScenarioName(scenario)) {
    return { mode: 'mock', scenario: scenario ?? DEFAULT_SCENARIO, lang, warning: null };
  }
  return {
    mode: 'mock',
    scenario: DEFAULT_SCENARIO,
    lang,
    warning: `There is no scenario "${scenario.slice(0, 70)}"; showing "${DEFAULT_SCENARIO}".`,
  };
}

/** The part of a state that a link needs. */
export type DemoLink =
  | { mode: 'mock'; scenario: ScenarioName; lang: DemoLang }
  | { mode: 'live'; room: string; lang: DemoLang };

/**
 * The query string of a page state; English, the default, is left out to keep links short.
 *
 * @param state - where the link goes
 * @returns e.g. `?scenario=surge&lang=ko` or `?room=demo`
 */
export function demoSearch(state: DemoLink): string {
  const params = new URLSearchParams();
  if (state.mode === 'live') params.set('room', state.room);
  else params.set('scenario', state.scenario);
  if (state.lang !== 'en') params.set('lang', state.lang);
  return `?${params.toString()}`;
}
