/** The system Chromium, driven by playwright-core (which never downloads a browser of its own). */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

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
