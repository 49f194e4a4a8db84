/**
 * Mock mode: `<queue-gate>` against the in-page simulator (through a real MSW service worker),
 * with a scenario picker and the controls QA needs to put the visitor in any situation.
 */
import { setupWorker } from 'msw/browser';
import { createQueueEngine } from '../src/core/queue-engine.js';
import { bookedStorageKey } from '../src/core/booked-store.js';
import { ticketStorageKey } from '../src/core/ticket-store.js';
import type { EngineFactory } from '../src/element/default-engine.js';
import type { QueueGateElement } from '../src/element/queue-gate-element.js';
import { createHandlers } from '../src/mocks/handlers.js';
import { createQueueSimulator, type QueueSimulator } from '../src/mocks/queue-simulator.js';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../src/mocks/scenarios.js';
import { ADMISSION_FIELD, type RoomStatus } from '../src/protocol.js';
import { required, type DemoMode, type ModeContext } from './demo-mode.js';
import { demoSearch, parseDemoUrl, type DemoLang } from './demo-url.js';
import { forwardingSimulator } from './forwarding-simulator.js';
import { mountGate, setGateLanguage } from './mount-gate.js';

/**
 * Where the simulated servers live: a path of this origin that only the worker answers. Each
 * page gets its own server below it (see `pageEndpoint`).
 */
export const MOCK_ENDPOINT = '/mock-api';
/** The simulator's room. */
export const MOCK_ROOM = 'demo';

const FLAKY = { kind: 'status', status: 502 } as const;
const OVERLOAD = {
  kind: 'status',
  status: 503,
  code: 'overloaded',
  retryAfterSeconds: 10,
} as const;

/** The failure toggles each scenario turns on, so the checkboxes tell the truth. */
const SCENARIO_FAULTS: Partial<Record<ScenarioName, 'offline' | 'flaky' | 'overload'>> = {
  offline: 'offline',
  flaky: 'flaky',
  overload: 'overload',
};

/**
 * This page's simulated server. Every page runs a simulator of its own; under one endpoint the
 * visitors of two demo tabs (two scenarios side by side) would be taken for one visitor's two
 * tabs, and one tab would show the other's place, from the other's simulator.
 */
function pageEndpoint(): string {
  // Not crypto.randomUUID: the page may be served over plain http on a LAN address, where
  // it is missing (mock mode then runs without its worker, and still needs this).
  return `${MOCK_ENDPOINT}/${Math.random().toString(36).slice(2, 10)}`;
}

function forgetTicket(doc: Document, endpoint: string): void {
  try {
    doc.defaultView?.localStorage.removeItem(ticketStorageKey(endpoint, MOCK_ROOM));
    doc.defaultView?.localStorage.removeItem(bookedStorageKey(endpoint, MOCK_ROOM));
  } catch {
    // Storage blocked: the engine keeps its ticket in memory, which a new element forgets anyway.
  }
}

/**
 * Starts mock mode on the page.
 *
 * @param ctx - the page parts
 * @param first - the scenario to open with
 * @returns the running mode
 */
export async function startMockMode(ctx: ModeContext, first: ScenarioName): Promise<DemoMode> {
  const { doc, log } = ctx;
  const panel = required<HTMLElement>(doc, '#mock-panel');
  panel.hidden = false;
  let lang: DemoLang = ctx.lang;
  let current: ScenarioName = first;
  let gate: QueueGateElement | null = null;

  // A new simulator for every (re)start, created with the scenario's line, so nothing of a
  // previous scenario (an admission lifetime, a rate, a fault) leaks into the next, and the
  // rate the server reports is the scenario's (see `forwarding-simulator.ts`). The worker and
  // the fallback engine answer through `answering`, which always reaches the current one.
  // An empty room until `restart(first)` below puts the first scenario's simulator in place.
  let simulator: QueueSimulator = createQueueSimulator();
  const endpoint = pageEndpoint();
  const answering = forwardingSimulator(() => simulator);
  let engineFactory: EngineFactory | undefined;
  try {
    // What `startMockWorker` does, with `msw/browser` imported statically: that helper loads it
    // lazily (so `queue-gate/mocks` also loads in Node), and the lazy import would split this
    // page's single-file bundle in two.
    const worker = setupWorker(...createHandlers(answering, { baseUrl: endpoint }));
    await worker.start({
      serviceWorker: { url: '/mockServiceWorker.js' },
      quiet: true,
      onUnhandledRequest: 'bypass',
    });
    ctx.caption.textContent = 'Mock mode: a simulated server in a service worker (MSW).';
  } catch (error) {
    // Without the worker script (served at /mockServiceWorker.js) the same simulator still
    // answers, injected as the engine's fetch: the page works, only devtools see no requests.
    engineFactory = ({ room, endpoint }) =>
      createQueueEngine({ room, endpoint, fetch: answering.fetch });
    ctx.caption.textContent =
      'Mock mode without a service worker (the simulator is called directly).';
    log.note('no worker', `MSW could not start: ${String(error)}`);
  }

  const faultBoxes = {
    offline: required<HTMLInputElement>(panel, '#fault-offline'),
    flaky: required<HTMLInputElement>(panel, '#fault-flaky'),
    overload: required<HTMLInputElement>(panel, '#fault-overload'),
  };
  const list = required<HTMLUListElement>(panel, '#scenario-list');
  const description = required<HTMLElement>(panel, '#scenario-description');

  const links = SCENARIO_NAMES.map((name) => {
    const item = doc.createElement('li');
    const link = doc.createElement('a');
    link.href = demoSearch({ mode: 'mock', scenario: name, lang });
    link.textContent = SCENARIOS[name].title;
    link.dataset.scenario = name;
    link.addEventListener('click', (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      doc.defaultView?.history.pushState(null, '', link.href);
      restart(name);
    });
    item.append(link);
    list.append(item);
    return link;
  });

  function showScenario(): void {
    for (const link of links) {
      if (link.dataset.scenario === current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
      link.href = demoSearch({
        mode: 'mock',
        scenario: link.dataset.scenario as ScenarioName,
        lang,
      });
    }
    description.textContent = SCENARIOS[current].description;
  }

  /** Puts the toggles where a fresh simulator in the current scenario is. */
  function resetControls(): void {
    const fault = SCENARIO_FAULTS[current];
    for (const [name, box] of Object.entries(faultBoxes)) box.checked = name === fault;
    const speed = panel.querySelector<HTMLInputElement>('input[name="speed"][value="1"]');
    if (speed) speed.checked = true;
  }

  /**
   * Brings the visitor's screen into view when it is scrolled away: on a narrow screen it sits
   * above the scenario list and the controls, and a click there would seem to do nothing.
   */
  function revealStage(): void {
    if (ctx.stage.getBoundingClientRect().top < 0) ctx.stage.scrollIntoView({ block: 'start' });
  }

  /**
   * A new visitor in scenario `name`. The visitor first joins an open, healthy room, then the
   * scenario's status and failures apply: "offline", "closed" or "ticket rejected" are about
   * what happens to someone who already holds a place, which a visitor who never got one
   * cannot show.
   */
  function restart(name: ScenarioName): void {
    current = name;
    const scenario = SCENARIOS[name];
    simulator = createQueueSimulator({ ...scenario.options, status: 'open' });
    forgetTicket(doc, endpoint);
    showScenario();
    resetControls();
    log.note('scenario', `${scenario.title}: ${scenario.description}`);
    const next = mountGate(ctx.stage, {
      room: MOCK_ROOM,
      endpoint,
      lang,
      ...(engineFactory ? { engineFactory } : {}),
      onBook: async (sent, fields) => {
        const admission = fields.get(ADMISSION_FIELD);
        if (!admission) {
          log.note('form sent', `without ${ADMISSION_FIELD}: the element did not fill the form`);
          return;
        }
        // The simulator books each place once, as a booking backend would; the page then tells
        // the gate, as a site that books some other way than gate.fetch does.
        const outcome =
          sent.status === 'admitted' ? await simulator.book(admission) : 'not admitted';
        log.note('form sent', `with ${ADMISSION_FIELD}: ${outcome}`);
        if (outcome === 'booked') sent.complete();
      },
    });
    gate = next;
    log.attach(next);
    revealStage();
    const applyOnceJoined = (): void => {
      if (gate !== next || next.seq === null) return;
      next.removeEventListener('queue-gate-change', applyOnceJoined);
      void simulator.setStatus(scenario.options.status ?? 'open');
      scenario.setup?.(simulator);
    };
    next.addEventListener('queue-gate-change', applyOnceJoined);
  }

  panel.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button');
    if (!button) return;
    if (button.dataset.advance) {
      const by = Number(button.dataset.advance);
      void simulator.advance(by);
      log.note('advanced', `serving +${by}`);
    } else if (button.dataset.status) {
      const status = button.dataset.status as RoomStatus;
      void simulator.setStatus(status);
      log.note('room', status);
    } else if (button.id === 'mock-reset') {
      restart(current);
    }
  });

  panel.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    if (input.name === 'speed') {
      simulator.setSpeed(Number(input.value));
      log.note('speed', `${input.value}×`);
      return;
    }
    if (input === faultBoxes.offline) simulator.setOffline(input.checked);
    if (input === faultBoxes.flaky && input.checked) faultBoxes.overload.checked = false;
    if (input === faultBoxes.overload && input.checked) faultBoxes.flaky.checked = false;
    if (input === faultBoxes.flaky || input === faultBoxes.overload) {
      if (faultBoxes.flaky.checked) simulator.setFailureRate(1 / 3, FLAKY);
      else if (faultBoxes.overload.checked) simulator.setFailureRate(1, OVERLOAD);
      else simulator.setFailureRate(0);
    }
    log.note('failure', `${input.id.replace('fault-', '')} ${input.checked ? 'on' : 'off'}`);
  });

  doc.defaultView?.addEventListener('popstate', () => {
    const state = parseDemoUrl(doc.location.search);
    if (state.mode === 'mock' && state.scenario !== current) restart(state.scenario);
  });

  const figures = {
    serving: required<HTMLElement>(panel, '#mock-serving'),
    issued: required<HTMLElement>(panel, '#mock-issued'),
    waiting: required<HTMLElement>(panel, '#mock-waiting'),
    status: required<HTMLElement>(panel, '#mock-status'),
    rate: required<HTMLElement>(panel, '#mock-rate'),
    requests: required<HTMLElement>(panel, '#mock-requests'),
  };
  const showFigures = async (): Promise<void> => {
    const s = await simulator.snapshot();
    const number = new Intl.NumberFormat(lang);
    figures.serving.textContent = number.format(s.serving);
    figures.issued.textContent = number.format(s.issued);
    figures.waiting.textContent = number.format(Math.max(0, s.issued - s.serving));
    figures.status.textContent = s.status;
    figures.rate.textContent = `${number.format(s.status === 'open' ? s.ratePerSec * s.speed : 0)}`;
    figures.requests.textContent = number.format(simulator.requests.length);
  };
  const refreshFigures = (): void => {
    showFigures().catch(() => undefined);
  };
  setInterval(refreshFigures, 500);

  restart(first);
  refreshFigures();

  return {
    setLang(next) {
      lang = next;
      if (gate) setGateLanguage(gate, next);
      showScenario();
    },
  };
}
