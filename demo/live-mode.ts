/**
 * Live mode: the real `<queue-gate>` against the real server, with an operator panel over the
 * admin API (settings, advance, pause/resume/close, live figures and a chart) and a button that
 * adds a crowd of simulated visitors, so QA can watch a real line move.
 */
import { bookedStorageKey } from '../src/core/booked-store.js';
import { ticketStorageKey } from '../src/core/ticket-store.js';
import type { QueueGateElement } from '../src/element/queue-gate-element.js';
import { AdminError, createAdminClient, type AdminRoomStats } from './admin-client.js';
import { createAdminTokenStore } from './admin-token-store.js';
import { bookThroughGate } from './book-through-gate.js';
import { pushSample, type ChartSample } from './chart-paths.js';
import { wireCrowdForm } from './crowd-form.js';
import { required, type DemoMode, type ModeContext } from './demo-mode.js';
import type { DemoLang } from './demo-url.js';
import { startFairnessPanel } from './fairness-panel.js';
import { wireIdentitySwitch } from './identity-switch.js';
import { drawLineChart } from './line-chart.js';
import { mountGate, setGateLanguage } from './mount-gate.js';

/** How often the panel reads the room's figures. */
export const LIVE_POLL_MS = 2000;
/** Five minutes of readings at {@link LIVE_POLL_MS}. */
const CHART_SAMPLES = 150;

function explain(error: unknown): string {
  if (!(error instanceof AdminError)) return String(error);
  if (error.status === 401 || error.status === 403) {
    return (
      'The server refused the admin token. Paste the one `npm start` printed on its first ' +
      'start (kept in the `admin-token` file of its data dir, `.queue-gate-data` by default).'
    );
  }
  if (error.code === 'room_not_found') {
    return 'The room does not exist yet: "Apply" creates it.';
  }
  return `${error.message} (${error.code})`;
}

/**
 * Starts live mode on the page.
 *
 * @param ctx - the page parts
 * @param room - the room to show
 * @returns the running mode
 */
export function startLiveMode(ctx: ModeContext, room: string): DemoMode {
  const { doc, log } = ctx;
  const panel = required<HTMLElement>(doc, '#live-panel');
  panel.hidden = false;
  required<HTMLElement>(panel, '#live-room').textContent = room;
  let lang: DemoLang = ctx.lang;
  const origin = doc.location.origin;
  const tokens = createAdminTokenStore();
  const status = required<HTMLElement>(panel, '#live-status');
  const controls = required<HTMLFieldSetElement>(panel, '#live-controls');
  const tokenInput = required<HTMLInputElement>(panel, '#admin-token');
  const number = (n: number): string => new Intl.NumberFormat(lang).format(n);

  ctx.caption.textContent = `Live mode: the real server at ${origin}, room "${room}".`;
  const mount = (): QueueGateElement => {
    const mounted = mountGate(ctx.stage, {
      room,
      endpoint: origin,
      lang,
      onBook: (element, fields) => {
        void bookThroughGate(element, room, fields).then((outcome) =>
          log.note(outcome.ok ? 'booked' : 'booking refused', outcome.summary),
        );
      },
    });
    identity?.apply(mounted);
    return mounted;
  };
  // Set below, once the admin client exists; the first gate takes the chosen user then.
  let identity: ReturnType<typeof wireIdentitySwitch> | null = null;
  let gate = mount();
  log.attach(gate);
  required<HTMLButtonElement>(panel, '#live-new-visitor').addEventListener('click', () => {
    try {
      localStorage.removeItem(ticketStorageKey(origin, room));
      // A new visitor has not booked either.
      localStorage.removeItem(bookedStorageKey(origin, room));
    } catch {
      // Blocked storage kept the ticket in memory only; the new element starts without it.
    }
    gate = mount();
    log.attach(gate);
    log.note('new visitor', 'ticket forgotten; joining at the back of the line');
  });

  const client = () => createAdminClient({ room, token: tokens.get(), endpoint: origin });
  const hasToken = (): boolean => tokens.get() !== '';

  const figures = {
    state: required<HTMLElement>(panel, '#live-state'),
    serving: required<HTMLElement>(panel, '#live-serving'),
    issued: required<HTMLElement>(panel, '#live-issued'),
    waiting: required<HTMLElement>(panel, '#live-waiting'),
    active: required<HTMLElement>(panel, '#live-active'),
    rate: required<HTMLElement>(panel, '#live-rate'),
  };
  const chart = {
    svg: required<SVGSVGElement>(panel, '#live-chart'),
    serving: required<SVGPathElement>(panel, '#chart-serving'),
    issued: required<SVGPathElement>(panel, '#chart-issued'),
    range: required<HTMLElement>(panel, '#chart-range'),
  };
  let samples: ChartSample[] = [];
  const rateInput = required<HTMLInputElement>(panel, '#admit-rate');
  let rateEdited = false;
  rateInput.addEventListener('input', () => (rateEdited = true));

  function show(stats: AdminRoomStats): void {
    figures.state.textContent = stats.status;
    figures.serving.textContent = number(stats.serving);
    figures.issued.textContent = number(stats.issued);
    figures.waiting.textContent = number(stats.waiting);
    figures.active.textContent = number(stats.active);
    figures.rate.textContent = number(stats.config.admitPerMinute);
    if (!rateEdited) rateInput.value = String(stats.config.admitPerMinute);
    samples = pushSample(
      samples,
      { at: Date.now(), serving: stats.serving, issued: stats.issued },
      CHART_SAMPLES,
    );
    drawLineChart(chart, samples, number);
  }

  function showTokenState(): void {
    controls.disabled = !hasToken();
    if (!hasToken()) status.textContent = 'Paste the admin token to use the operator panel.';
  }

  /**
   * Forgets a token the server refused: kept, it would be sent again every poll (a 401 in the
   * console every two seconds) and leave the controls enabled for calls that can only fail.
   */
  function dropRefusedToken(error: unknown): void {
    if (!(error instanceof AdminError) || (error.status !== 401 && error.status !== 403)) return;
    tokens.clear();
    tokenInput.placeholder = '';
    showTokenState();
  }

  async function poll(): Promise<void> {
    if (!hasToken()) return;
    try {
      show(await client().stats());
      status.textContent = `Updated ${new Date().toLocaleTimeString(lang)}.`;
    } catch (error) {
      dropRefusedToken(error);
      status.textContent = explain(error);
    }
  }

  async function act(label: string, run: () => Promise<AdminRoomStats>): Promise<void> {
    try {
      show(await run());
      status.textContent = `${label}: done.`;
      log.note('operator', label);
    } catch (error) {
      dropRefusedToken(error);
      status.textContent = `${label}: ${explain(error)}`;
    }
  }

  required<HTMLFormElement>(panel, '#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (token) tokens.set(token);
    tokenInput.value = '';
    tokenInput.placeholder = token ? 'token kept for this tab' : '';
    showTokenState();
    void poll();
  });
  required<HTMLButtonElement>(panel, '#token-forget').addEventListener('click', () => {
    tokens.clear();
    tokenInput.placeholder = '';
    showTokenState();
  });

  required<HTMLFormElement>(panel, '#rate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const admitPerMinute = rateInput.valueAsNumber;
    rateEdited = false;
    void act(`admit ${admitPerMinute}/min`, () => client().configure({ admitPerMinute }));
  });
  required<HTMLFormElement>(panel, '#advance-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const by = required<HTMLInputElement>(panel, '#advance-by').valueAsNumber;
    void act(`advance by ${by}`, () => client().advance(by));
  });
  controls.addEventListener('click', (event) => {
    const action = (event.target as Element).closest<HTMLButtonElement>('button[data-admin]')
      ?.dataset.admin;
    if (action === 'pause') void act('pause', () => client().pause());
    if (action === 'resume') void act('resume', () => client().resume());
    if (action === 'close') void act('close', () => client().close());
  });

  identity = wireIdentitySwitch(panel, {
    endpoint: origin,
    gate: () => gate,
    configure: (label, settings) => act(label, () => client().configure(settings)),
    note: (what, detail) => log.note(what, detail),
  });
  identity.apply(gate);

  wireCrowdForm(panel, {
    endpoint: origin,
    room,
    format: number,
    onDone: (summary) => {
      log.note('crowd', summary);
      void poll();
    },
  });

  if (hasToken()) tokenInput.placeholder = 'token kept for this tab';
  showTokenState();
  void poll();
  setInterval(() => void poll(), LIVE_POLL_MS);
  startFairnessPanel(panel, { endpoint: origin, room, format: number });

  return {
    setLang(next) {
      lang = next;
      setGateLanguage(gate, next);
    },
  };
}
