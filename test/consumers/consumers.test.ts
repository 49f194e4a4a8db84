/**
 * A real integrator's setup, from the packed tarball: a Vite + React 19 + TypeScript app, a Vue 3
 * app and a static page using the script tag, each on an origin of its own; the queue server
 * (`queue-gate serve` from the install) on another; a booking backend built with
 * `queue-gate/verify` on yet another. Chromium joins, is admitted, gets the hidden field, books
 * across origins (preflight included) once, and a page whose origin the room does not allow is
 * told so instead of waiting for a network that is fine.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { useChromium } from '../e2e/helpers/chromium.js';
import { waitForStatus, type GateView } from '../e2e/helpers/read-gate.js';
import { buildConsumerApps, type ConsumerApps } from './support/consumer-apps.js';
import { startPackedQueueServer, type PackedQueueServer } from './support/packed-queue-server.js';
import { serveStatic, type StaticSite } from './support/static-server.js';

/** The fixture `booking-backend.mjs`, imported from the install. */
interface BookingBackend {
  url: string;
  /** `METHOD /path origin` of every request, in order. */
  seen: string[];
  close(): Promise<void>;
}
type BackendModule = {
  startBookingBackend(options: {
    queueUrl: string;
    room: string;
    origins: string[];
  }): Promise<BookingBackend>;
};

const ROOM = 'launch';
/** A room set up for another site only: the pages here are not among its origins. */
const LOCKED_ROOM = 'elsewhere';

describe('consumers of the packed package', () => {
  const chromium = useChromium();
  let apps: ConsumerApps;
  let queue: PackedQueueServer;
  let backend: BookingBackend;
  const sites: Record<'react' | 'vue' | 'plain', StaticSite> = {} as never;

  before(async () => {
    apps = await buildConsumerApps();
    queue = await startPackedQueueServer(apps.install);
    sites.react = await serveStatic(apps.reactDist);
    sites.vue = await serveStatic(apps.vueDist);
    sites.plain = await serveStatic(apps.staticSite);
    const origins = Object.values(sites).map((site) => site.origin);
    const { startBookingBackend } = (await import(
      pathToFileURL(apps.bookingBackend).href
    )) as BackendModule;
    backend = await startBookingBackend({ queueUrl: queue.url, room: ROOM, origins });
    await queue.admin.createStillRoom(ROOM);
    await queue.admin.configure(ROOM, { allowedOrigins: origins, audience: backend.url });
    await queue.admin.createStillRoom(LOCKED_ROOM);
    await queue.admin.configure(LOCKED_ROOM, { allowedOrigins: ['https://shop.example'] });
    // The static pages, written as a site would for its rooms and servers.
    const template = readFileSync(join(apps.staticSite, 'index.html'), 'utf8');
    const page = (room: string) =>
      template
        .replaceAll('{{room}}', room)
        .replaceAll('{{queue}}', queue.url)
        .replaceAll('{{api}}', backend.url);
    writeFileSync(join(apps.staticSite, 'index.html'), page(ROOM));
    writeFileSync(join(apps.staticSite, 'not-set-up.html'), page(LOCKED_ROOM));
    // Pages that take the bundles from the queue server itself, as docs/cdn.md allows: the
    // chunks they import on demand then come from another origin.
    for (const [file, tag] of [
      ['classic-from-queue.html', `<script src="${queue.url}/dist/queue-gate.min.js"></script>`],
      [
        'module-from-queue.html',
        `<script type="module" src="${queue.url}/dist/queue-gate.esm.js"></script>`,
      ],
    ] as const) {
      writeFileSync(
        join(apps.staticSite, file),
        `<!doctype html><html lang="ko"><head><meta charset="utf-8" />${tag}</head>` +
          `<body><queue-gate room="${ROOM}" endpoint="${queue.url}"></queue-gate></body></html>`,
      );
    }
  });

  after(async () => {
    await Promise.all(Object.values(sites).map((site) => site.close()));
    await backend?.close();
    await queue?.stop();
    apps?.install.remove();
  });

  /** A fresh page that fails the test on any script error. */
  async function openPage(t: TestContext, url: string, watch?: (page: Page) => void) {
    const page = await (await chromium.newContext(t)).newPage();
    watch?.(page);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    t.after(() => assert.deepEqual(problems, [], 'no script errors on the page'));
    await page.goto(url);
    return page;
  }

  /** Waits for the visitor's place, moves the line up to it, and waits for the admission. */
  async function admit(page: Page): Promise<GateView> {
    const waiting = await waitForStatus(page, 'waiting');
    await queue.admin.advance(ROOM, waiting.position!);
    const admitted = await waitForStatus(page, 'admitted');
    assert.ok(admitted.admission, 'the element holds an admission');
    return admitted;
  }

  /** The app's URL with the servers and room in its query. */
  const appUrl = (site: StaticSite) =>
    `${site.origin}/?${new URLSearchParams({ queue: queue.url, api: backend.url, room: ROOM })}`;

  /** The admission sent again from the page (cross-origin): the backend's answer as read there. */
  const bookAgain = (page: Page, admission: string) =>
    page.evaluate(
      async ({ api, token }) => {
        const response = await fetch(`${api}/book`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: '{}',
        });
        return { status: response.status, body: (await response.json()) as unknown };
      },
      { api: backend.url, token: admission },
    );

  /** Books through the app's `gate.fetch` button and checks everything a booking must be. */
  async function bookThroughGateFetch(page: Page, site: StaticSite): Promise<void> {
    const admitted = await admit(page);
    assert.equal(await page.locator('#admission').textContent(), admitted.admission);
    const field = page.locator('#booking input[type="hidden"][name="queue_admission"]');
    assert.equal(await field.inputValue(), admitted.admission, 'the form got the hidden field');

    const seenBefore = backend.seen.length;
    await page.locator('#booking button[type="submit"]').click();
    await page.locator('#result', { hasText: /^booked \d+$/ }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#result').textContent(), `booked ${admitted.seq}`);
    assert.deepEqual(backend.seen.slice(seenBefore), [
      `OPTIONS /book ${site.origin}`,
      `POST /book ${site.origin}`,
    ]);
    await waitForStatus(page, 'booked');

    const again = await bookAgain(page, admitted.admission!);
    assert.equal(again.status, 409, 'the same place books once');
    assert.deepEqual((again.body as { error: { code: string } }).error.code, 'admission_used');
    assert.equal(await page.locator('#errors').textContent(), '');
  }

  it('React 19 + TypeScript (strict tsc, vite build): joins, is admitted, books once with gate.fetch', async (t) => {
    const page = await openPage(t, appUrl(sites.react));
    await bookThroughGateFetch(page, sites.react);
  });

  it('Vue 3 (vite build): joins, is admitted, books once with gate.fetch', async (t) => {
    const page = await openPage(t, appUrl(sites.vue));
    await bookThroughGateFetch(page, sites.vue);
  });

  it('static page with the script tag: the hidden field books once through a form post', async (t) => {
    const page = await openPage(t, `${sites.plain.origin}/index.html`);
    const admitted = await admit(page);
    const field = page.locator('#booking input[type="hidden"][name="queue_admission"]');
    assert.equal(await field.inputValue(), admitted.admission);
    await page.locator('#booking button[type="submit"]').click();
    await page.locator('#booked').waitFor({ timeout: 10_000 });
    assert.equal(
      await page.locator('#booked').textContent(),
      `Booked place ${admitted.seq} for Ada`,
    );
    // The form went across origins as a navigation: no preflight, the field carried the admission.
    assert.ok(
      backend.seen.includes(`POST /book-form ${sites.plain.origin}`),
      backend.seen.join('\n'),
    );
    const again = await fetch(`${backend.url}/book-form`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ queue_admission: admitted.admission!, name: 'Ada' }),
    });
    assert.equal(again.status, 409, 'the same place books once');
  });

  for (const file of ['classic-from-queue.html', 'module-from-queue.html']) {
    it(`a page of another origin with the bundle from the queue server (${file}) gets its Korean chunk`, async (t) => {
      const chunks: string[] = [];
      const page = await openPage(t, `${sites.plain.origin}/${file}`, (opened) =>
        opened.on('response', (response) => {
          if (/queue-gate-ko\.js$/.test(response.url())) chunks.push(`${response.status()}`);
        }),
      );
      await waitForStatus(page, 'waiting');
      const gate = page.locator('queue-gate');
      await gate.getByRole('heading', { name: /[가-힣]/ }).waitFor({ timeout: 10_000 });
      const shown = (await gate.evaluate((el) => el.shadowRoot!.textContent)) ?? '';
      assert.match(shown, /앞 대기 인원/, 'the waiting screen speaks Korean');
      assert.doesNotMatch(shown, /Ahead of you/, 'no English left on it');
      assert.deepEqual(chunks, ['200'], 'the Korean chunk came from the queue server');
    });
  }

  it('a page whose origin the room does not allow says so, reports it once, and stops asking fast', async (t) => {
    const page = await openPage(t, `${sites.plain.origin}/not-set-up.html`);
    const joins: number[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/rooms/${LOCKED_ROOM}/join`)) {
        joins.push(Date.now());
      }
    });
    const gate = page.locator('queue-gate');
    await gate
      .getByRole('heading', { name: /not set up for this waiting room/ })
      .waitFor({ timeout: 10_000 });
    const shown = (await gate.evaluate((el) => el.shadowRoot!.textContent)) ?? '';
    assert.doesNotMatch(shown, /place is kept|Connection lost/i, 'no place is claimed');
    const errors = () =>
      page.evaluate(() => (window as { queueGateErrors?: string[] }).queueGateErrors);
    assert.deepEqual(await errors(), ['origin_not_allowed']);

    // Backoff without Retry-After would retry within a second; the refusal asks for a minute.
    await page.waitForTimeout(2500);
    assert.ok(joins.length <= 1, `asked again ${joins.length - 1} times within 2.5 s`);
    // "Try now" before the minute the refusal asked for waits for it (issue 17, item 5): no
    // request, and the refusal is still reported only once.
    const before = joins.length;
    await gate.evaluate((el) => (el as unknown as { retry(): void }).retry());
    await page.waitForTimeout(1000);
    assert.equal(joins.length, before, 'asked again before the Retry-After');
    assert.deepEqual(await errors(), ['origin_not_allowed']);
    assert.equal((await waitForStatus(page, 'reconnecting')).seq, null, 'no place was handed out');
  });
});
