/** The system Chromium, driven by playwright-core (which never downloads a browser of its own). */
import { after, before } from 'node:test';
import type { TestContext } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

// A variable specifier: the script is plain JS without type declarations, typed here instead.
const FIND_CHROME = new URL('../../../scripts/find-chrome.mjs', import.meta.url).href;

/**
 * Launches the system Chrome/Chromium headless.
 *
 * @throws Error saying how to install one (or set `CHROME_PATH`) when none is found
 * @example
 * ```ts
 * const browser = await launchChromium();
 * after(() => browser.close());
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  const { findChrome, CHROMIUM_ARGS } = (await import(FIND_CHROME)) as {
    findChrome: () => string | undefined;
    CHROMIUM_ARGS: string[];
  };
  const executablePath = findChrome();
  if (!executablePath) {
    throw new Error(
      'No Chrome or Chromium found: set CHROME_PATH, or install one (Debian/Ubuntu: sudo apt-get install -y chromium).',
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** The browser of one suite; see {@link useChromium}. */
export interface SuiteBrowser {
  /** A fresh browser profile for test `t`, closed when the test ends. */
  newContext(t: TestContext, options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * The system Chromium for the enclosing `describe`: launched before its tests and closed after
 * them (one launch per suite, a fresh context per test).
 *
 * @example
 * ```ts
 * describe('a visitor', () => {
 *   const chromium = useChromium();
 *   it('…', async (t) => {
 *     const page = await (await chromium.newContext(t)).newPage();
 *   });
 * });
 * ```
 */
export function useChromium(): SuiteBrowser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  return {
    async newContext(t, options) {
      if (!browser) throw new Error('useChromium: the browser is launched before the tests');
      const context = await browser.newContext(options);
      t.after(() => context.close());
      return context;
    },
  };
}
