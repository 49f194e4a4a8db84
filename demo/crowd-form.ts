/**
 * The live panel's "add a crowd" form: N strangers join the real room from this page (no
 * ticket kept), with the progress shown, so QA can watch a real line grow and then move.
 */
import { addCrowd, type CrowdProgress } from './add-crowd.js';
import { required } from './demo-mode.js';

/** Joins in flight at once: enough to fill a line fast, few enough for one page. */
export const CROWD_CONCURRENCY = 6;
/** Largest crowd per click. */
export const CROWD_MAX = 5000;

/** Options of {@link wireCrowdForm}. */
export interface CrowdFormOptions {
  /** The queue server (the page's origin in live mode). */
  endpoint: string;
  room: string;
  /** Number formatting of the page's language. */
  format: (n: number) => string;
  /** Called when a crowd is in, with a one-line summary. */
  onDone: (summary: string) => void;
}

/**
 * Makes the `#crowd-form` inside `panel` add crowds.
 *
 * @param panel - the element holding `#crowd-form`, `#crowd-size`, `#crowd-button`,
 *   `#crowd-progress` and `#crowd-status`
 * @param options - where to join and how to report
 */
export function wireCrowdForm(panel: ParentNode, options: CrowdFormOptions): void {
  const form = required<HTMLFormElement>(panel, '#crowd-form');
  const size = required<HTMLInputElement>(panel, '#crowd-size');
  const button = required<HTMLButtonElement>(panel, '#crowd-button');
  const progress = required<HTMLProgressElement>(panel, '#crowd-progress');
  const status = required<HTMLElement>(panel, '#crowd-status');
  const url = `${options.endpoint.replace(/\/+$/, '')}/rooms/${encodeURIComponent(options.room)}/join`;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const requested = Math.floor(size.valueAsNumber);
    const count = Math.min(CROWD_MAX, Math.max(1, Number.isFinite(requested) ? requested : 1));
    let lastFailure = '';
    const summary = (p: CrowdProgress): string => {
      const failure = p.failed > 0 && lastFailure ? ` (last: ${lastFailure})` : '';
      return `${options.format(p.joined)} of ${options.format(p.total)} joined, ${options.format(p.failed)} failed${failure}`;
    };
    const join = async (): Promise<boolean> => {
      // No ticket sent and none kept: each join is a stranger who takes a place and walks away.
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
        credentials: 'omit',
      });
      if (!response.ok) {
        // Named, because a 429 means the server's per-client join limit, not a broken queue.
        const body = (await response.json().catch(() => null)) as {
          error?: { code?: string };
        } | null;
        lastFailure = `HTTP ${response.status} ${body?.error?.code ?? ''}`.trim();
      }
      return response.ok;
    };
    button.disabled = true;
    progress.max = count;
    progress.value = 0;
    void addCrowd({
      count,
      concurrency: CROWD_CONCURRENCY,
      join,
      onProgress: (p) => {
        progress.value = p.joined + p.failed;
        status.textContent = summary(p);
      },
    }).then((result) => {
      button.disabled = false;
      options.onDone(summary(result));
    });
  });
}
