/**
 * Time to the first rendered waiting screen (the visitor's number on screen) of the sample
 * booking page (demo/booking.html), cold, in Chromium under a throttled network: the script tag
 * as built now (first load plus chunks on demand) against the old single file (every language
 * and screen inlined, built here), page loads alternating in the same run.
 */
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { rollup, type Plugin } from 'rollup';
import { startQueueServer } from '../src/server/index.js';
import { markdownTable, ratio } from './markdown-table.js';

/** The profile of the issue: 1.6 Mbps down, 750 kbps up, 150 ms round trip. */
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6e6 / 8) * 0.9,
  uploadThroughput: (750e3 / 8) * 0.9,
};

interface Variant {
  name: string;
  root: string;
}

/**
 * Builds the old single-file classic script (`queue-gate.min.js` with every language and screen
 * inlined) into `dir`, with the CDN build's own plugins.
 */
export async function buildSingleFile(dir: string): Promise<void> {
  // @ts-expect-error: the Rollup config is plain JS without declarations.
  const { plugins } = (await import('../rollup.config.mjs')) as {
    plugins: () => Plugin[];
  };
  const bundle = await rollup({
    input: 'src/auto.ts',
    plugins: plugins().filter((plugin) => plugin.name !== 'size-budget'),
    onLog: () => {},
  });
  await bundle.write({
    file: join(dir, 'queue-gate.min.js'),
    format: 'iife',
    name: 'QueueGate',
    inlineDynamicImports: true,
  });
  await bundle.close();
}

/** A static root with the booking page and `dist/` holding the given script-tag files. */
async function staticRoot(base: string, name: string, fill: (dist: string) => Promise<void>) {
  const root = join(base, name);
  await mkdir(join(root, 'dist'), { recursive: true });
  await cp('demo', join(root, 'demo'), { recursive: true });
  await fill(join(root, 'dist'));
  return root;
}

async function copyScriptTagFiles(dist: string): Promise<void> {
  for (const file of await readdir('dist')) {
    if (/^queue-gate.*\.js$/.test(file)) await cp(join('dist', file), join(dist, file));
  }
}

/** A request made before the join, and whether it had to open a new connection. */
interface EarlyRequest {
  path: string;
  newConnection: boolean;
}

/**
 * One cold page load: ms from navigation start to the visitor's number on screen, and the
 * requests the page made before its join.
 */
async function firstRender(
  browser: Browser,
  url: string,
): Promise<{ ms: number; early: EarlyRequest[]; scriptBytes: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const early: EarlyRequest[] = [];
    let joined = false;
    cdp.on('Network.responseReceived', ({ response }) => {
      const path = new URL(response.url).pathname;
      if (path.endsWith('/join')) joined = true;
      if (!joined) early.push({ path, newConnection: !response.connectionReused });
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await page.goto(url, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      () => {
        const gate = document.querySelector('queue-gate');
        const number = gate?.shadowRoot?.querySelector('[part="position"]')?.textContent ?? '';
        return /\d/.test(number) ? performance.now() : null;
      },
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    const ms = (await handle.jsonValue()) as number;
    // What the script tag cost on the wire: headers and the body as sent (compressed).
    const scriptBytes = await page.evaluate(
      () =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((entry) =>
          entry.name.includes('/dist/queue-gate.min.js'),
        )?.transferSize ?? 0,
    );
    return { ms, early, scriptBytes };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Measures and returns the section of BENCHMARKS.md.
 *
 * @example
 * ```ts
 * const markdown = await benchFirstRender({ rounds: 5 });
 * ```
 */
export async function benchFirstRender({ rounds }: { rounds: number }): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'queue-gate-first-render-'));
  const { findChrome, CHROMIUM_ARGS } = (await import(
    // @ts-expect-error: plain JS without declarations.
    '../scripts/find-chrome.mjs'
  )) as { findChrome: () => string | undefined; CHROMIUM_ARGS: string[] };
  const browser = await chromium.launch({ executablePath: findChrome(), args: CHROMIUM_ARGS });
  const variants: Variant[] = [
    { name: 'script tag: first load + chunks on demand', root: '' },
    { name: 'old single file, every language and screen (baseline)', root: '' },
  ];
  variants[0]!.root = await staticRoot(base, 'split', copyScriptTagFiles);
  variants[1]!.root = await staticRoot(base, 'single', buildSingleFile);
  const servers = await Promise.all(
    variants.map((variant) =>
      // No admission tick: every visitor stays in line, so the waiting screen always shows.
      startQueueServer({
        port: 0,
        host: '127.0.0.1',
        dataDir: null,
        tickIntervalMs: 0,
        staticRoot: variant.root,
        adminToken: 'b'.repeat(32),
      }),
    ),
  );
  try {
    const times: number[][] = variants.map(() => []);
    let early: EarlyRequest[] = [];
    const scriptBytes: number[] = variants.map(() => 0);
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, server] of servers.entries()) {
        const load = await firstRender(browser, `${server.url}/demo/booking.html`);
        times[index]!.push(load.ms);
        scriptBytes[index] = load.scriptBytes;
        if (index === 0) early = load.early;
      }
    }
    const opened = early.filter((request) => request.newConnection).length;
    const baseline = median(times[1]!);
    const rows = variants.map((variant, index) => [
      variant.name,
      `${(median(times[index]!) / 1000).toFixed(2)} s`,
      times[index]!.map((ms) => (ms / 1000).toFixed(2)).join(', '),
      `${(scriptBytes[index]! / 1024).toFixed(1)} kB`,
      ratio(median(times[index]!), baseline),
    ]);
    return [
      '## First waiting screen under a throttled network',
      '',
      `The sample booking page (\`demo/booking.html\`), cold (new profile, cache off), in ` +
        `Chromium with DevTools' network throttling: 1.6 Mbps down, 750 kbps up, 150 ms ` +
        `round trip. Time from navigation start to the visitor's number on screen, median of ` +
        `${rounds} alternating loads each; the baseline is the old single-file script built ` +
        `in the same run. Both are served by the queue server, which sends them ` +
        `brotli-compressed to Chromium. The goal is 0.9 s or less.`,
      '',
      markdownTable(
        ['script', 'median', 'each load', 'script tag on the wire', 'vs single file'],
        rows,
      ),
      '',
      `Before its join the page made ${early.length} requests (` +
        early
          .map(({ path, newConnection }) => `\`${path}\`${newConnection ? ', new connection' : ''}`)
          .join('; ') +
        `), ${opened} of them on a connection of its own. So the visitor's number waits for: ` +
        `the page (a connection and a request), its stylesheet and its two scripts in parallel ` +
        `(the scripts may not run before the stylesheet is in, and over HTTP/1.1 the parallel ` +
        `requests open new connections, a round trip each), the script's bytes, then the join. ` +
        `The bytes saved by the chunks matter less here than these round trips.`,
      '',
    ].join('\n');
  } finally {
    await browser.close();
    await Promise.all(servers.map((server) => server.close()));
    await rm(base, { recursive: true, force: true });
  }
}
