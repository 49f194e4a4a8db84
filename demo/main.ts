/**
 * The QA demo page's entry (bundled to `dist/demo/main.js`). Reads the URL, wires the header
 * (mode links, language switch) and the event log, and starts mock or live mode.
 *
 * - `/` or `/?scenario=NAME`: mock mode, the element against an in-page simulator (MSW).
 * - `/?room=NAME`: live mode, the element against this server, with an operator panel.
 * - `&lang=ko`: the waiting room in Korean.
 *
 * @packageDocumentation
 */
import '../src/index.js';
import { required, type DemoMode, type ModeContext } from './demo-mode.js';
import { demoSearch, parseDemoUrl, DEFAULT_LIVE_ROOM, type DemoLang } from './demo-url.js';
import { createEventLog } from './event-log.js';
import { startLiveMode } from './live-mode.js';
import { startMockMode } from './mock-mode.js';

async function main(doc: Document): Promise<void> {
  const state = parseDemoUrl(doc.location.search);
  let lang: DemoLang = state.lang;
  const notice = required<HTMLElement>(doc, '#page-notice');
  if (state.warning) {
    notice.textContent = state.warning;
    notice.hidden = false;
  }

  const log = createEventLog(required<HTMLElement>(doc, '#log-list'));
  required<HTMLButtonElement>(doc, '#log-clear').addEventListener('click', () => log.clear());

  const liveRoom = state.mode === 'live' ? state.room : DEFAULT_LIVE_ROOM;
  const mockLink = required<HTMLAnchorElement>(doc, '#link-mock');
  const liveLink = required<HTMLAnchorElement>(doc, '#link-live');
  const bookingLink = required<HTMLAnchorElement>(doc, '#link-booking');
  (state.mode === 'mock' ? mockLink : liveLink).setAttribute('aria-current', 'page');

  const langButtons = [...doc.querySelectorAll<HTMLButtonElement>('.lang-switch [data-lang]')];
  // Only the waiting room changes language; the page around it is QA's, in English, so the
  // document keeps lang="en" for screen readers.
  const showLang = (): void => {
    for (const button of langButtons) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
    }
    const current = parseDemoUrl(doc.location.search);
    const scenario = current.mode === 'mock' ? current.scenario : 'normal';
    mockLink.href = demoSearch({ mode: 'mock', scenario, lang });
    liveLink.href = demoSearch({ mode: 'live', room: liveRoom, lang });
    const booking = new URLSearchParams({ room: liveRoom });
    if (lang !== 'en') booking.set('lang', lang);
    bookingLink.href = `/booking.html?${booking.toString()}`;
  };
  showLang();

  const ctx: ModeContext = {
    doc,
    stage: required<HTMLElement>(doc, '#gate-host'),
    caption: required<HTMLElement>(doc, '#stage-caption'),
    log,
    lang,
  };
  const mode: DemoMode =
    state.mode === 'live'
      ? startLiveMode(ctx, state.room)
      : await startMockMode(ctx, state.scenario);

  for (const button of langButtons) {
    button.addEventListener('click', () => {
      const next: DemoLang = button.dataset.lang === 'ko' ? 'ko' : 'en';
      if (next === lang) return;
      lang = next;
      const current = parseDemoUrl(doc.location.search);
      const link =
        current.mode === 'live'
          ? ({ mode: 'live', room: current.room, lang } as const)
          : ({ mode: 'mock', scenario: current.scenario, lang } as const);
      doc.defaultView?.history.replaceState(null, '', demoSearch(link));
      showLang();
      mode.setLang(lang);
    });
  }
}

main(document).catch((error: unknown) => {
  const notice = document.querySelector<HTMLElement>('#page-notice');
  if (notice) {
    notice.textContent = `The demo could not start: ${String(error)}`;
    notice.hidden = false;
  }
  console.error(error);
});
