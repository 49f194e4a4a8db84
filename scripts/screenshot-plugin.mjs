// Screenshot commands for the browser tests (test/element/screenshots/): the test page asks the
// runner to emulate a screen and to compare a clip of the page with a committed baseline PNG.
// Written for @web/test-runner-chrome (puppeteer): it emulates what the screenshots need
// (device scale, forced colours, time zone) and needs no browser download.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** Committed baselines, one PNG per screenshot name. */
export const BASELINES = 'test/element/screenshots/baselines';
/** Where a failed comparison leaves the actual picture and the difference (not committed). */
const FAILURES = 'node_modules/.cache/queue-gate-screenshots';
/**
 * `QUEUE_GATE_SCREENSHOTS=<dir>` writes every screenshot there instead of comparing
 * (`npm run screenshots:update` then replaces the baselines with that directory).
 */
const UPDATE_INTO = process.env.QUEUE_GATE_SCREENSHOTS ?? '';

/**
 * Tolerance. Per pixel, pixelmatch's colour distance (0–1) below which pixels count as equal,
 * and anti-aliased edge pixels are ignored; per picture, the share of differing pixels allowed.
 * The same machine image draws identical pixels; the slack only absorbs rasteriser jitter.
 */
const PIXEL_THRESHOLD = 0.1;
const MAX_DIFF_RATIO = 0.001;

/** The fonts the screenshot pages name (Debian: fonts-dejavu-core, fonts-noto-cjk). */
const FONTS = ['DejaVu Sans', 'Noto Sans CJK KR'];

let fontsChecked = false;
function assertFonts() {
  if (fontsChecked) return;
  const listed = spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' });
  if (!listed.error && listed.status === 0) {
    const missing = FONTS.filter((font) => !listed.stdout.includes(font));
    if (missing.length > 0) {
      throw new Error(
        `Screenshots need the fonts ${missing.join(', ')} (Debian: apt-get install fonts-dejavu-core fonts-noto-cjk).`,
      );
    }
  }
  fontsChecked = true;
}

/** A PNG re-encoded by pngjs: the same pixels always give the same bytes (no churn in git). */
function encode(png) {
  return PNG.sync.write(png, { colorType: 2, deflateLevel: 9, deflateStrategy: 0 });
}

function compare(name, actual) {
  const file = join(BASELINES, `${name}.png`);
  if (UPDATE_INTO) {
    mkdirSync(UPDATE_INTO, { recursive: true });
    writeFileSync(join(UPDATE_INTO, `${name}.png`), encode(actual));
    return { passed: true, updated: true };
  }
  if (!existsSync(file)) {
    return { passed: false, message: `no baseline ${file}: run npm run screenshots:update` };
  }
  const baseline = PNG.sync.read(readFileSync(file));
  const keep = (message) => {
    mkdirSync(FAILURES, { recursive: true });
    writeFileSync(join(FAILURES, `${name}.actual.png`), encode(actual));
    return { passed: false, message: `${message} (actual: ${FAILURES}/${name}.actual.png)` };
  };
  if (baseline.width !== actual.width || baseline.height !== actual.height) {
    return keep(
      `${name}: ${actual.width}×${actual.height} px, baseline ${baseline.width}×${baseline.height} px`,
    );
  }
  mkdirSync(FAILURES, { recursive: true });
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(baseline.data, actual.data, diff.data, actual.width, actual.height, {
    threshold: PIXEL_THRESHOLD,
  });
  const ratio = differing / (actual.width * actual.height);
  if (ratio > MAX_DIFF_RATIO) {
    writeFileSync(join(FAILURES, `${name}.diff.png`), PNG.sync.write(diff));
    return keep(`${name}: ${differing} pixels differ (${(ratio * 100).toFixed(2)} %)`);
  }
  return { passed: true, differing };
}

let queue = Promise.resolve();
/** Runs `task` after every screenshot already asked for: one tab in front at a time. */
function oneAtATime(task) {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

const sessions = new WeakMap();
async function devtoolsOf(page) {
  if (!sessions.has(page)) sessions.set(page, await page.createCDPSession());
  return sessions.get(page);
}

/** The runner plugin: commands `screenshot-emulate` and `screenshot-compare`. */
export function screenshotPlugin() {
  return {
    name: 'queue-gate-screenshots',
    async executeCommand({ command, payload, session }) {
      if (command !== 'screenshot-emulate' && command !== 'screenshot-compare') return undefined;
      if (session.browser.type !== 'puppeteer') {
        throw new Error(`${command} needs the Chromium launcher (got ${session.browser.type})`);
      }
      const page = session.browser.getPage(session.id);
      if (command === 'screenshot-emulate') {
        const { width, height, deviceScaleFactor, colorScheme, forcedColors, timezone } = payload;
        await page.setViewport({ width, height, deviceScaleFactor });
        // Through the DevTools protocol: puppeteer's own helper refuses `forced-colors`.
        const devtools = await devtoolsOf(page);
        await devtools.send('Emulation.setEmulatedMedia', {
          features: [
            { name: 'prefers-color-scheme', value: colorScheme },
            { name: 'forced-colors', value: forcedColors ? 'active' : 'none' },
            { name: 'prefers-reduced-motion', value: 'no-preference' },
          ],
        });
        await page.emulateTimezone(timezone);
        return true;
      }
      assertFonts();
      const { name, clip } = payload;
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad screenshot name ${name}`);
      const bytes = await oneAtATime(async () => {
        // Only the tab in front draws frames; test files run side by side in other tabs.
        await page.bringToFront();
        return page.screenshot({ type: 'png', clip });
      });
      return compare(name, PNG.sync.read(Buffer.from(bytes)));
    },
  };
}
