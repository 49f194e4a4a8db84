import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startQueueServer } from '../../src/server/index.js';
import { createAdminClient } from './helpers/admin-client.js';
import { useChromium } from './helpers/chromium.js';
import { REPO_ROOT } from './helpers/queue-gate-process.js';
import { readGate, waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/** A version-pinned CDN path on another origin than the page (routed, never on the network). */
const CDN = 'http://localhost:9/queue-gate@0.1.0/dist/';

/** Everything the panel showed, one entry per change, recorded from the first render on. */
declare global {
  interface Window {
    panelTexts?: string[];
  }
}

async function startServer(t: TestContext) {
  const adminToken = 'audit-cdn-opening-'.padEnd(40, 'x');
  const server = await startQueueServer({ port: 0, dataDir: null, adminToken, rooms: {} });
  t.after(() => server.close());
  return { url: server.url, admin: createAdminClient(() => server.url, adminToken) };
}

/**
 * A site page on the queue server's origin that loads the built script from the CDN path; the
 * CDN answers every file of `dist/` with CORS, except the `blocked` ones.
 */
async function openSitePage(
  context: BrowserContext,
  endpoint: string,
  room: string,
  lang: string,
  blocked: string[] = [],
): Promise<{ page: Page; fetched: string[] }> {
  const fetched: string[] = [];
  await context.route(`${CDN}*`, async (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop()!;
    fetched.push(name);
    if (blocked.includes(name)) return route.abort('blockedbyclient');
    return route.fulfill({
      body: await readFile(join(REPO_ROOT, 'dist', name)),
      headers: { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' },
    });
  });
  await context.route(`${endpoint}/site/book`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
        <script src="${CDN}queue-gate.min.js" defer></script></head>
        <body><queue-gate room="${room}" endpoint="${endpoint}">
        <form id="booking-form"><input name="name" aria-label="name"><button>Book</button></form>
        </queue-gate></body></html>`,
    }),
  );
  const page = await context.newPage();
  await page.addInitScript(() => {
    const texts: string[] = [];
    window.panelTexts = texts;
    const record = () => {
      const text = document.querySelector('queue-gate')?.shadowRoot?.textContent;
      if (text && texts.at(-1) !== text) texts.push(text);
    };
    setInterval(record, 50);
    new MutationObserver(record).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  await page.goto(`${endpoint}/site/book`);
  return { page, fetched };
}

/** Waits until the visitor holds the place the opening draw gave them. */
function untilDrawn(page: Page) {
  return waitUntil(
    async () => {
      const gate = await readGate(page);
      return gate?.status === 'waiting' && gate.seq !== null && gate.seq > 0 ? gate : undefined;
    },
    { what: 'the place from the opening draw', timeoutMs: 30_000 },
  );
}

const part = (page: Page, name: string) =>
  page.locator('queue-gate').evaluate((el, n) => {
    const found = el.shadowRoot!.querySelector(`[part~="${n}"]`);
    return found ? (found.textContent ?? '').trim() : null;
  }, name);

describe('the script tag from a CDN path on opening day', () => {
  const chromium = useChromium();

  it('shows the Korean countdown from the chunks beside the script, never 0:00, then the drawn place', async (t) => {
    const server = await startServer(t);
    await server.admin.configure('launch', {
      admitPerMinute: 0,
      pollAfterMs: 1000,
      allowedOrigins: ['*'],
      opensAt: Date.now() + 6000,
    });
    const { page, fetched } = await openSitePage(
      await chromium.newContext(t),
      server.url,
      'launch',
      'ko',
    );
    await waitUntil(async () => ((await part(page, 'countdown')) ? true : undefined), {
      what: 'the countdown',
    });
    assert.match((await part(page, 'title')) ?? '', /곧 대기실이 열립니다/);
    assert.deepEqual(
      [...new Set(fetched)].sort(),
      ['queue-gate-ko.js', 'queue-gate-rare-screens.js', 'queue-gate.min.js'],
      'the chunks come from beside the script',
    );

    const drawn = await untilDrawn(page);
    assert.equal(drawn.seq, 1);
    assert.match((await part(page, 'draw-notice')) ?? '', /추첨/);
    const texts = (await page.evaluate(() => window.panelTexts)) ?? [];
    const zero = texts.find((text) => /(^|\D)0:00(\D|$)/.test(text));
    assert.equal(zero, undefined, 'the countdown never shows 0:00');
    assert.ok(
      texts.every((text) => !/[A-Za-z]{4,}/.test(text.replace(/queue-gate/g, ''))),
      'never an English sentence on a Korean page',
    );
  });

  it('falls back to a plain English opening screen when the chunks cannot load, and keeps the drawn place', async (t) => {
    const server = await startServer(t);
    await server.admin.configure('launch-blocked', {
      admitPerMinute: 0,
      pollAfterMs: 1000,
      allowedOrigins: ['*'],
      opensAt: Date.now() + 6000,
    });
    const { page } = await openSitePage(
      await chromium.newContext(t),
      server.url,
      'launch-blocked',
      'ko',
      ['queue-gate-ko.js', 'queue-gate-rare-screens.js'],
    );
    await waitUntil(
      async () =>
        (await part(page, 'title')) === 'The waiting room opens soon' ? true : undefined,
      { what: 'the plain opening screen in English' },
    );
    assert.equal(await part(page, 'countdown'), null, 'no countdown without its chunk');
    assert.equal((await readGate(page))?.seq, null);

    const drawn = await untilDrawn(page);
    assert.equal(drawn.seq, 1);
    assert.equal(await page.locator('#booking-form').isVisible(), false);
    await waitForStatus(page, 'waiting');
  });
});
