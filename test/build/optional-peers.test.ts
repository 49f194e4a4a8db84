/**
 * The optional peers, from the packed package: a project without `msw` is told what to install
 * when it imports `queue-gate/mocks`, the entries that never need `msw` load without it, and the
 * demo's mock mode still gets its service worker.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { MSW_MISSING } from '../../src/mocks/msw-missing.js';
// @ts-expect-error: plain JS without declarations.
import { MSW_WORKER_PATH } from '../../scripts/msw-worker-plugin.mjs';
import { startPackedQueueServer } from '../consumers/support/packed-queue-server.js';
import { installPacked, type PackedInstall } from './support/packed-install.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** Imports `specifier` in a fresh Node inside the consumer folder; what it printed and its exit. */
async function importIn(dir: string, specifier: string) {
  const script = `await import(${JSON.stringify(specifier)}); console.log('loaded');`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
    });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr) };
  }
}

describe('a project without msw, from the packed package', () => {
  let install: PackedInstall;
  before(() => {
    assert.ok(existsSync(join(root, 'dist', 'index.js')), 'run the build first (npm run build)');
    install = installPacked(root, ['msw']);
    assert.ok(!existsSync(join(install.dir, 'node_modules', 'msw')), 'msw is left out');
  });
  after(() => install?.remove());

  it('is told to install msw when it imports queue-gate/mocks', async () => {
    const result = await importIn(install.dir, 'queue-gate/mocks');
    assert.equal(result.ok, false);
    assert.ok(result.output.includes(MSW_MISSING), result.output);
  });

  it("still serves the demo's msw worker, the one its bundle was built with", async () => {
    const server = await startPackedQueueServer(install);
    try {
      const worker = await fetch(`${server.url}/mockServiceWorker.js`);
      assert.equal(worker.status, 200);
      assert.match(String(worker.headers.get('content-type')), /javascript/);
      assert.equal(await worker.text(), readFileSync(MSW_WORKER_PATH, 'utf8'));
    } finally {
      await server.stop();
    }
  });

  for (const entry of ['queue-gate/verify', 'queue-gate/server', 'queue-gate/protocol']) {
    it(`loads ${entry}, which never needs msw`, async () => {
      const result = await importIn(install.dir, entry);
      assert.equal(result.ok, true, result.output);
      assert.match(result.output, /loaded/);
    });
  }
});

describe('a project with msw, from the packed package', () => {
  let install: PackedInstall;
  before(() => {
    install = installPacked(root);
  });
  after(() => install?.remove());

  it('loads queue-gate/mocks in Node with the same exports browsers get', async () => {
    const result = await importIn(install.dir, 'queue-gate/mocks');
    assert.equal(result.ok, true, result.output);
    const mocks = join(install.packageDir, 'dist', 'mocks');
    const forNode = Object.keys(await import(join(mocks, 'node.js'))).sort();
    const forBrowsers = Object.keys(await import(join(mocks, 'index.js'))).sort();
    assert.deepEqual(forNode, forBrowsers);
    assert.ok(forNode.includes('createQueueSimulator'), forNode.join());
  });
});
