import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { en } from '../../src/element/translations/en.js';
import { ko } from '../../src/element/translations/ko.js';
import { useChromium } from './helpers/chromium.js';
import { startE2eServer } from './helpers/e2e-server.js';
import { assertKoreanFont } from './helpers/korean-font.js';
import { openBookingPage } from './helpers/open-booking-page.js';
import type { BookingLang } from './helpers/open-booking-page.js';
import { REPO_ROOT } from './helpers/queue-gate-process.js';
import { waitForStatus } from './helpers/read-gate.js';
import { waitUntil } from './helpers/wait-until.js';

/** Where the README's pictures live. */
const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const TRANSLATIONS = { en, ko } as const;

/** Saves the booking page's main column as `docs/screenshots/<name>.png`. */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.locator('main').screenshot({ path, animations: 'disabled' });
  assert.ok((await stat(path)).size > 1000, `${name}.png holds a picture`);
}

describe('screenshots of the waiting room on the sample booking page', () => {
  before(async () => {
    assertKoreanFont();
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  const chromium = useChromium();

  for (const lang of ['en', 'ko'] as const satisfies readonly BookingLang[]) {
    it(`shows the waiting, reconnecting and admitted screens in ${lang === 'en' ? 'English' : 'Korean'}`, async (t) => {
      const strings = TRANSLATIONS[lang];
      const server = await startE2eServer(t);
      await server.admin.createStillRoom('launch');
      // A line with people ahead and some already let in, as on a real opening morning.
      for (let i = 0; i < 41; i += 1) await server.admin.joinFromNode('launch');
      await server.admin.advance('launch', 29);
      const context = await chromium.newContext(t, {
        viewport: { width: 720, height: 900 },
        locale: lang === 'ko' ? 'ko-KR' : 'en-US',
        timezoneId: lang === 'ko' ? 'Asia/Seoul' : 'Europe/London',
      });
      const page = await openBookingPage(context, server.url, 'launch', lang);
      const title = page.locator('queue-gate [part~="title"]');

      const waiting = await waitForStatus(page, 'waiting');
      assert.equal(waiting.seq, 42);
      assert.equal(await title.textContent(), strings.waitingTitle);
      await saveScreenshot(page, `waiting-${lang}`);

      await context.setOffline(true);
      await waitForStatus(page, 'reconnecting');
      // The first failures are retried quietly on the waiting screen; lasting ones change it.
      await waitUntil(
        async () => (await title.textContent()) === strings.reconnectingTitle || undefined,
        { what: 'the "connection lost" screen', timeoutMs: 60_000 },
      );
      await saveScreenshot(page, `reconnecting-${lang}`);

      await context.setOffline(false);
      await waitForStatus(page, 'waiting');
      await server.admin.advance('launch', waiting.seq! - 29);
      await waitForStatus(page, 'admitted');
      const form = page.locator('#booking-form');
      await form.waitFor({ state: 'visible', timeout: 5000 });
      assert.equal(
        await page.locator('queue-gate').getAttribute('lang'),
        lang,
        'the gate speaks the page language',
      );
      await page.fill('#date', '2026-12-24');
      await page.fill('#name', lang === 'ko' ? '김민지' : 'Kim Minji');
      // A resting form: no caret or selection in the picture.
      await page.locator('#name').blur();
      await saveScreenshot(page, `admitted-${lang}`);
    });
  }
});
