/**
 * A server-rendered React 19 app (renderToString in Node, hydrateRoot in the browser) built from
 * the packed package with the README's server-rendered snippet as written: every entry imports
 * in Node without a DOM, the markup hydrates without a mismatch, and the snippet hears the
 * admission. React 19 attaches no `on…` listener props to a custom element it hydrates, so a
 * snippet relying on them would never hear it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { waitForStatus } from '../e2e/helpers/read-gate.js';
import { waitUntil } from '../e2e/helpers/wait-until.js';
import { useChromium } from '../e2e/helpers/chromium.js';
import { installPacked, type PackedInstall } from '../build/support/packed-install.js';
import { buildSsrApp } from './support/audit-integrator-ssr-app.js';
import { REPO_ROOT } from './support/consumer-apps.js';
import { startPackedQueueServer, type PackedQueueServer } from './support/packed-queue-server.js';
import { serveStatic, type StaticSite } from './support/static-server.js';

const run = promisify(execFile);
const ROOM = 'launch';

describe('a server-rendered React app of the packed package', () => {
  const chromium = useChromium();
  let install: PackedInstall;
  let queue: PackedQueueServer;
  let site: StaticSite;

  before(async () => {
    install = installPacked(REPO_ROOT);
    queue = await startPackedQueueServer(install);
    await queue.admin.createStillRoom(ROOM);
    site = await serveStatic(await buildSsrApp(install, { queueUrl: queue.url, room: ROOM }));
    await queue.admin.configure(ROOM, { allowedOrigins: [site.origin] });
  });

  after(async () => {
    await site?.close();
    await queue?.stop();
    install?.remove();
  });

  it('imports the element and framework entries in Node, where there is no DOM', async () => {
    const entries = ['queue-gate', 'queue-gate/react', 'queue-gate/vue', 'queue-gate/core'];
    const script =
      `for (const entry of ${JSON.stringify(entries)}) await import(entry);` +
      `process.stdout.write(String(typeof document) + ' ' + String(typeof window));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: install.dir,
    });
    assert.equal(stdout, 'undefined undefined', 'the imports added no DOM globals');
  });

  it('renders the README snippet to HTML with its string props as attributes', () => {
    const html = readFileSync(join(install.dir, 'ssr-app', 'site', 'index.html'), 'utf8');
    assert.match(html, new RegExp(`<queue-gate [^>]*room="${ROOM}"`));
    assert.match(html, new RegExp(`endpoint="${queue.url}"`));
  });

  it('hydrates without a mismatch and hears the admission through the README snippet', async (t) => {
    const page = await (await chromium.newContext(t)).newPage();
    const problems: string[] = [];
    const logged: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // The browser asks for a favicon the site does not have; not the app's error.
      if (message.location().url.endsWith('/favicon.ico')) return;
      if (message.type() === 'error') problems.push(message.text());
      else logged.push(message.text());
    });
    await page.goto(`${site.origin}/`);
    const waiting = await waitForStatus(page, 'waiting');
    await queue.admin.advance(ROOM, waiting.position!);
    const admitted = await waitForStatus(page, 'admitted');
    assert.ok(admitted.admission);
    await waitUntil(() => logged.includes(admitted.admission!) || undefined, {
      what: "the README snippet's handler to log the admission",
      timeoutMs: 5000,
    });
    assert.deepEqual(problems, [], 'no script error and no hydration mismatch');
  });
});
