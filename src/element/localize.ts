/**
 * Languages for `<queue-gate>`: a typed `Translation` per language, chosen from the element's
 * `lang`, then the closest ancestor's `lang`, then the document's, then the browser's list.
 *
 * Why functions instead of templates with placeholders: plural rules and word order differ by
 * language (Korean counts people with a counter word and has no plural), so each language
 * writes its own sentence from numbers already formatted with `Intl` for that language.
 */
import type { WaitEstimate } from '../core/types.js';
import { roundWait } from '../core/wait-range.js';
import { en } from './translations/en.js';
import { waitPhrase } from './wait-phrase.js';
import type { PlaceStrings } from './place-strings.js';
import type { TurnStrings } from './turn-strings.js';

/** Every string the element shows or announces, for one language. */
export interface Translation extends TurnStrings, PlaceStrings {
  /** BCP 47 primary language code, e.g. `en`. */
  $code: string;
  /** Text direction of the language. */
  $dir: 'ltr' | 'rtl';
  /** Accessible name of the waiting panel. */
  regionLabel: string;
  joining: string;
  waitingTitle: string;
  placeLabel: string;
  aheadLabel: string;
  /** People ahead; `formatted` is `count` formatted for the language. */
  ahead: (count: number, formatted: string) => string;
  etaLabel: string;
  etaUnknown: string;
  etaSoon: string;
  etaMinutes: (min: string, max: string) => string;
  etaHours: (min: string, max: string) => string;
  progressLabel: string;
  updatedAgo: (seconds: number, formatted: string) => string;
  updatedNever: string;
  /** Shown only while a ticket exists and storage keeps it. */
  reloadSafe: string;
  reconnectingTitle: string;
  /** What happened to the connection; the sentence about the place follows it. */
  reconnecting: string;
  /** Title while the server is overloaded or rate limiting (it answered: not a lost connection). */
  busyTitle: string;
  /** What the server said; the sentence about the place follows it. */
  busy: string;
  /** Title when the server has no such room: the page is set up wrong, not the connection. */
  roomMissingTitle: string;
  roomMissing: string;
  /** Title when the room does not accept this page's origin: set up wrong, not the connection. */
  originRefusedTitle: string;
  originRefused: string;
  retryingIn: (seconds: number, formatted: string) => string;
  retryNow: string;
  pausedTitle: string;
  paused: string;
  closedTitle: string;
  closed: string;
  /** Before a scheduled opening: the visitor holds a pre-open ticket. */
  preOpenTitle: string;
  /** `at` is the local opening time; says that arriving early or late before it makes no difference. */
  preOpen: (at: string) => string;
  /** Time left until the opening, `clock` as h:mm:ss or m:ss. */
  opensIn: (clock: string) => string;
  /** The visitor's cohort (group) is not open yet. */
  cohortTitle: string;
  /** `at` is the local time (with the date when not today) when the cohort opens. */
  cohortNotOpen: (at: string) => string;
  /** The visitor's cohort window has closed. */
  cohortClosed: string;
  admittingTitle: string;
  admitting: string;
  admittedTitle: string;
  admitted: (until: string | null) => string;
  admissionExpiredTitle: string;
  admissionExpired: string;
  reclaim: string;
  rejectedTitle: string;
  /** Why the ticket was refused, from the server's code. */
  rejected: (code: string) => string;
  rejoin: string;
  /** The journey ended: the booking made with the admission succeeded. */
  bookedTitle: string;
  booked: string;
  /** The server or the booking backend said this place was already used to book. */
  alreadyUsedTitle: string;
  alreadyUsed: string;
  /** The room needs the visitor to sign in on the site (one place per person). */
  signInTitle: string;
  /** Why: the visitor is not signed in. */
  signInNeeded: string;
  /** Why: the sign-in was refused (expired, or not confirmed). */
  signInAgain: string;
  /** The default link to the site's sign-in (`sign-in-url`). */
  signInLink: string;
  /** Page title prefix when the turn arrives in a background tab. */
  titleTurn: string;
  notifyButton: string;
  notifyBody: string;
}

/** A partial translation: any string the site owner wants to change. */
export type TranslationOverrides = Partial<Omit<Translation, '$code' | '$dir'>>;

const registry = new Map<string, Translation>([['en', en]]);

/** Loads a translation on demand; see {@link registerTranslationLoader}. */
export type TranslationLoader = () => Promise<Translation>;

/**
 * Languages fetched only when a visitor needs one. English is in the first load (it is also
 * what a failed load falls back to); Korean comes from its own chunk, beside the script on a
 * CDN and split by the bundler from an npm import.
 */
const loaders = new Map<string, TranslationLoader>([
  ['ko', () => import('./translations/ko.js').then((module) => module.ko)],
]);
/** Loads started, by language code; a failed one stays settled so it is not retried. */
const loading = new Map<string, Promise<void>>();

/**
 * Adds a language that is fetched only when an element needs it (a dynamic `import()`). Until
 * it arrives the element shows its panel without text; if it fails, the element speaks English.
 *
 * @example
 * ```ts
 * registerTranslationLoader('de', () => import('./de.js').then((m) => m.de));
 * ```
 */
export function registerTranslationLoader(code: string, loader: TranslationLoader): void {
  loaders.set(code.toLowerCase(), loader);
  loading.delete(code.toLowerCase());
}

/**
 * Starts loading the translation for `lang` when it is registered with a loader and not yet
 * loaded.
 *
 * @returns null when the translation can be used now (loaded, or unknown and so English);
 *   else a promise that settles once it is loaded or has failed (English is then used)
 */
export function loadTranslation(lang: string): Promise<void> | null {
  const code = primary(lang);
  const loader = loaders.get(code);
  if (registry.has(code) || !loader) return null;
  let pending = loading.get(code);
  if (!pending) {
    pending = loader().then(
      (translation) => registerTranslation(translation),
      // A chunk that did not load (offline, blocked, a CDN missing a file): English it is.
      () => {
        loaders.delete(code);
      },
    );
    loading.set(code, pending);
  }
  return pending;
}

/**
 * Adds (or replaces) languages. Call it before the element renders, e.g. next to the import.
 *
 * @example
 * ```ts
 * import { registerTranslation, en } from 'queue-gate';
 * registerTranslation({ ...en, $code: 'de', joining: 'Ihr Platz wird reserviert…' });
 * ```
 */
export function registerTranslation(...translations: Translation[]): void {
  for (const translation of translations) {
    registry.set(translation.$code.toLowerCase(), translation);
  }
}

function primary(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? '';
}

/**
 * Chooses the language for `element`: its `lang`, the closest `[lang]` ancestor, the document,
 * then `navigator.languages`; the first one with a registered translation (loaded or with a
 * loader) wins, else English.
 */
export function resolveLanguage(
  element: Element,
  languages: readonly string[] = globalThis.navigator?.languages ?? [],
): string {
  const candidates = [
    element.closest('[lang]')?.getAttribute('lang') ?? '',
    element.ownerDocument.documentElement.lang,
    ...languages,
  ];
  for (const candidate of candidates) {
    const code = primary(candidate);
    if (candidate && (registry.has(code) || loaders.has(code))) return candidate;
  }
  return 'en';
}

/** Formatting helpers and strings for one language. */
export interface Localizer {
  /** The language tag used for `Intl`. */
  lang: string;
  t: Translation;
  number(value: number): string;
  /**
   * A local clock time (hours and minutes), with the date when it is not on the same day as
   * `now`: "kept until 9:14 PM" must not be read as today when it means tomorrow.
   */
  time(epochMs: number, now?: number): string;
  /**
   * The wait estimate as one honest phrase (see `wait-range.ts`); long waits are said as a
   * clock time counted from `now` (default: the device's time).
   */
  estimate(estimate: WaitEstimate, now?: number): string;
}

const NO_BREAK_SPACE = '\u00a0';

/** A space between a number and its unit ("4 s", "5 minutes"); Korean writes none ("4초"). */
const SPACE_BEFORE_UNIT = /(\d) (?=(?:s|sec|min|minutes?|h|hours?|days?)\b)/gu;

/**
 * `t` with every sentence function's output keeping a number with its unit, so a line never
 * ends between "4" and "s". The estimate phrases are left as written: their figure has its own
 * line-breaking rules. (A counted noun, as in "295 people", may still wrap on a narrow screen.)
 */
function keepNumbersWithUnits(t: Translation): Translation {
  const kept: Record<string, unknown> = { ...t };
  for (const [key, value] of Object.entries(t)) {
    if (typeof value !== 'function' || key.startsWith('eta')) continue;
    const sentence = value as (...args: unknown[]) => string;
    kept[key] = (...args: unknown[]) =>
      sentence(...args).replace(SPACE_BEFORE_UNIT, `$1${NO_BREAK_SPACE}`);
  }
  return kept as unknown as Translation;
}

/**
 * `epochMs` formatted with the date and the time each kept whole ("Nov 24," and "2:00 PM";
 * "11월 24일" and "오후 2:00"): a narrow line may break only between the two.
 */
function unbreakableTime(format: Intl.DateTimeFormat, epochMs: number): string {
  let afterDay = false;
  return format
    .formatToParts(epochMs)
    .map(({ type, value }) => {
      const breakable = afterDay && type === 'literal';
      afterDay = type === 'day';
      return breakable ? value : value.replaceAll(' ', NO_BREAK_SPACE);
    })
    .join('');
}

const TIME_ONLY: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const DATED: Intl.DateTimeFormatOptions = { ...TIME_ONLY, month: 'short', day: 'numeric' };

/**
 * Builds the localizer for `lang`, with `overrides` applied over the registered translation.
 *
 * @example
 * ```ts
 * const l = createLocalizer('ko');
 * l.t.ahead(1234, l.number(1234)); // '1,234명'
 * ```
 */
export function createLocalizer(lang: string, overrides: TranslationOverrides = {}): Localizer {
  const base = registry.get(primary(lang)) ?? en;
  const t = keepNumbersWithUnits({ ...base, ...overrides });
  const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  // The clock formats are made on first use: building an `Intl.DateTimeFormat` costs a few ms
  // of the first screen's script time, and most first screens show no clock time.
  let times: Intl.DateTimeFormat | undefined;
  let dated: Intl.DateTimeFormat | undefined;
  const clockTime = (epochMs: number, withDate: boolean) => {
    const format = withDate
      ? (dated ??= new Intl.DateTimeFormat(lang, DATED))
      : (times ??= new Intl.DateTimeFormat(lang, TIME_ONLY));
    return unbreakableTime(format, epochMs);
  };
  const sameDay = (a: number, b: number) =>
    new Date(a).toDateString() === new Date(b).toDateString();
  const number = (value: number) => numbers.format(value);
  return {
    lang,
    t,
    number,
    time: (epochMs, now) => clockTime(epochMs, now !== undefined && !sameDay(epochMs, now)),
    // Long waits are said as the clock time they are expected to end at, from `now`.
    estimate: (estimate, now = Date.now()) =>
      waitPhrase(roundWait(estimate, now), t, number, (at) => clockTime(at, !sameDay(at, now))),
  };
}
