/**
 * QA audit: live mode's operator panel with a wrong admin token. Found: the panel kept the
 * refused token, enabled the room controls, and sent it again every poll (a 401 in the console
 * every two seconds, for as long as the tab stayed open). A refused token is now forgotten.
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { LIVE_POLL_MS, startLiveMode } from '../../demo/live-mode.js';
import { demoModeContext, loadDemoPage } from './demo-page.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('QA audit: a refused admin token in live mode', () => {
  const realFetch = globalThis.fetch;
  let adminCalls = 0;
  let root: HTMLElement;

  before(async () => {
    root = await loadDemoPage();
    sessionStorage.clear();
    // No queue server here: the admin API refuses every token, and the queue's own endpoints
    // answer "busy, come back much later" so the gate on stage stays quiet.
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('/admin/rooms/')) {
        adminCalls += 1;
        const body = { error: { code: 'unauthorized', message: 'Bad admin token.' } };
        return Promise.resolve(Response.json(body, { status: 401 }));
      }
      if (url.includes('/demo/index.html')) return realFetch(input, init);
      return Promise.resolve(
        new Response(null, { status: 503, headers: { 'Retry-After': '600' } }),
      );
    };
    startLiveMode(demoModeContext(root), 'demo');
  });

  after(() => {
    globalThis.fetch = realFetch;
    root.remove();
    sessionStorage.clear();
  });

  it('says so, disables the controls again and stops sending the token', async () => {
    const controls = root.querySelector<HTMLFieldSetElement>('#live-controls')!;
    const status = root.querySelector<HTMLElement>('#live-status')!;
    expect(controls.disabled, 'before any token').to.equal(true);

    root.querySelector<HTMLInputElement>('#admin-token')!.value = 'not-the-token';
    root.querySelector<HTMLFormElement>('#token-form')!.requestSubmit();
    await waitUntil(() => adminCalls >= 1, 'the panel never tried the token');
    await waitUntil(() => status.textContent?.includes('refused'), 'no word of the refusal');

    const callsAfterRefusal = adminCalls;
    await sleep(LIVE_POLL_MS * 2 + 500);
    expect(adminCalls, 'admin calls after the refusal').to.equal(callsAfterRefusal);
    expect(controls.disabled, 'controls after the refusal').to.equal(true);
    expect(status.textContent).to.contain('refused');
  });
});
