/**
 * The system Chromium with the back/forward cache on, as visitors have it. Playwright turns the
 * cache off by default (`--disable-back-forward-cache`), so a Back press would reload the page
 * and hide what a page restored from the cache does.
 */
import { after, before } from 'node:test';
import type { TestContext } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';

const FIND_CHROME = new URL('../../../scripts/find-chrome.mjs', import.meta.url).href;

/**
 * A browser with the back/forward cache for the enclosing `describe`, launched before its tests
 * and closed after them; `newContext(t)` gives each test a fresh profile.
 */
export function useChromiumWithBackForwardCache(): {
  newContext(t: TestContext): Promise<BrowserContext>;
} {
  let browser: Browser | undefined;
  before(async () => {
    const { findChrome, CHROMIUM_ARGS } = (await import(FIND_CHROME)) as {
      findChrome: () => string | undefined;
      CHROMIUM_ARGS: string[];
    };
    const executablePath = findChrome();
    if (!executablePath) throw new Error('No Chrome or Chromium found: set CHROME_PATH.');
    browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_ARGS,
      ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
  });
  after(async () => {
    await browser?.close();
  });
  return {
    async newContext(t) {
      if (!browser) throw new Error('the browser is launched before the tests');
      const context = await browser.newContext();
      t.after(() => context.close());
      return context;
    },
  };
}
