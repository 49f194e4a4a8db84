import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startQueueServer } from '../../src/server/node-server.js';
import type { RunningQueueServer } from '../../src/server/node-server.js';

/** Sends a raw path (no client-side normalisation of `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('startQueueServer with the package as static root (npm start style)', () => {
  let server: RunningQueueServer;
  before(async () => {
    server = await startQueueServer({ port: 0, dataDir: null, tickIntervalMs: 0 });
  });
  after(() => server.close());

  it('serves the sample booking page with a strict CSP', async () => {
    const answer = await fetch(`${server.url}/booking.html?room=demo&lang=ko`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
    const html = await answer.text();
    assert.match(html, /<script src="\/dist\/queue-gate\.min\.js" defer><\/script>/);
    assert.match(html, /<queue-gate id="gate" room="demo"/);
    assert.match(html, /<form id="booking-form" method="post" action="\/demo\/book\?room=demo">/);
    assert.doesNotMatch(html, /<script>/, 'no inline script');
  });

  it('serves the demo page at /', async () => {
    const answer = await fetch(`${server.url}/`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await answer.text(), /<html/i);
  });

  it('serves demo scripts with a JavaScript content type', async () => {
    const answer = await fetch(`${server.url}/demo/booking.js`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/javascript/);
  });

  it("serves MSW's worker at the root for the demo's mock mode", async () => {
    const answer = await fetch(`${server.url}/mockServiceWorker.js`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /text\/javascript/);
    assert.match(await answer.text(), /Mock Service Worker/);
  });

  it('serves the JWKS with an Ed25519 key and a demo room', async () => {
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    assert.ok(jwks.keys.length >= 1);
    assert.equal(jwks.keys[0].crv, 'Ed25519');
    assert.equal(jwks.keys[0].d, undefined, 'no private part');
    const state = await fetch(`${server.url}/rooms/demo/state`);
    assert.equal(state.status, 200);
  });
});

describe('static files from a chosen root', () => {
  let server: RunningQueueServer;
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'queue-gate-static-'));
    await mkdir(join(root, 'demo'));
    await mkdir(join(root, 'dist'));
    await writeFile(join(root, 'demo', 'index.html'), '<!doctype html><title>demo index</title>');
    await writeFile(join(root, 'dist', 'queue-gate.min.js'), 'console.log("bundle")');
    await writeFile(join(root, 'secret.txt'), 'top secret');
    server = await startQueueServer({
      port: 0,
      dataDir: null,
      tickIntervalMs: 0,
      staticRoot: root,
      adminToken: 'x'.repeat(20),
    });
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('maps / to demo/index.html and /dist/* to dist/', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(await index.text(), /demo index/);
    const bundle = await fetch(`${server.url}/dist/queue-gate.min.js`);
    assert.equal(bundle.status, 200);
    assert.match(await bundle.text(), /bundle/);
  });

  it('refuses path traversal, encoded or not', async () => {
    for (const path of [
      '/demo/../secret.txt',
      '/demo/%2e%2e/secret.txt',
      '/demo/..%2fsecret.txt',
      '/dist/%2e%2e%2fsecret.txt',
      '/demo/%00',
    ]) {
      const answer = await rawGet(server.url, path);
      assert.notEqual(answer.status, 200, path);
      assert.doesNotMatch(answer.body, /top secret/, path);
    }
  });

  it('answers a JSON 404 for a missing file', async () => {
    const answer = await fetch(`${server.url}/demo/missing.js`);
    assert.equal(answer.status, 404);
    assert.equal((await answer.json()).error.code, 'not_found');
  });
});

describe('startQueueServer with a per-client join limit', () => {
  let server: RunningQueueServer;
  before(async () => {
    server = await startQueueServer({
      port: 0,
      dataDir: null,
      tickIntervalMs: 0,
      staticRoot: null,
      joinsPerMinutePerClient: 1,
    });
  });
  after(() => server.close());

  it('tells clients apart by their address', async () => {
    const join = () =>
      fetch(`${server.url}/rooms/demo/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
    assert.equal((await join()).status, 200);
    const refused = await join();
    assert.equal(refused.status, 429);
    assert.equal((await refused.json()).error.code, 'rate_limited');
  });
});
