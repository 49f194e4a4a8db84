/**
 * The pages and scripts the server shows go out compressed (brotli, else gzip) to clients that
 * accept it: on a 1.6 Mbps phone link the script tag's download is the longest step before the
 * visitor's number (BENCHMARKS.md, "First waiting screen"). The bundles may be loaded from any
 * origin, as modules too. Raw bytes over node:http, since fetch would decode.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startQueueServer } from '../../src/server/index.js';
import { chooseEncoding } from '../../src/server/routes/static-pages.js';

type Started = Awaited<ReturnType<typeof startQueueServer>>;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    }).on('error', reject);
  });
}

describe('static files, compressed for clients that accept it', () => {
  let root: string;
  let server: Started;
  // Text that compresses as a bundle does: repetitive, and far over a packet.
  const script = 'customElements.define("x-y", class extends HTMLElement {});\n'.repeat(800);
  const picture = Buffer.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    ...Array.from({ length: 600 }, (_, i) => i % 251),
  ]);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'queue-gate-static-'));
    await mkdir(join(root, 'dist'), { recursive: true });
    await mkdir(join(root, 'demo'), { recursive: true });
    await writeFile(join(root, 'dist', 'queue-gate.min.js'), script);
    await writeFile(join(root, 'demo', 'logo.png'), picture);
    server = await startQueueServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: null,
      tickIntervalMs: 0,
      staticRoot: root,
      adminToken: 's'.repeat(32),
    });
  });
  after(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('sends the script brotli-compressed to a browser, the same bytes once decoded', async () => {
    const answer = await rawGet(`${server.url}/dist/queue-gate.min.js`, {
      'Accept-Encoding': 'gzip, deflate, br, zstd',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], 'br');
    assert.equal(answer.headers['vary'], 'Accept-Encoding');
    assert.match(String(answer.headers['content-type']), /^text\/javascript/);
    assert.ok(answer.body.length * 10 < script.length, `${answer.body.length} bytes sent`);
    assert.equal(brotliDecompressSync(answer.body).toString(), script);
  });

  it('sends it gzip-compressed to a client that takes gzip and not brotli', async () => {
    for (const accept of ['gzip', 'gzip, deflate', 'br;q=0, gzip', 'br;q=0.5, gzip;q=0.8']) {
      const answer = await rawGet(`${server.url}/dist/queue-gate.min.js`, {
        'Accept-Encoding': accept,
      });
      assert.equal(answer.headers['content-encoding'], 'gzip', accept);
      assert.equal(gunzipSync(answer.body).toString(), script, accept);
    }
  });

  it('sends it plain to a client that accepts neither, or refuses both with q=0', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0, br;q=0, identity', 'zstd', '*;q=0']) {
      const answer = await rawGet(
        `${server.url}/dist/queue-gate.min.js`,
        accept === undefined ? {} : { 'Accept-Encoding': accept },
      );
      assert.equal(answer.headers['content-encoding'], undefined, String(accept));
      assert.equal(answer.headers['vary'], 'Accept-Encoding', String(accept));
      assert.equal(answer.body.toString(), script, String(accept));
    }
  });

  it('answers a crowd of first requests for one file with the same bytes', async () => {
    const rebuilt = `${script}// a new build for the crowd\n`;
    await writeFile(join(root, 'dist', 'queue-gate.min.js'), rebuilt);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        rawGet(`${server.url}/dist/queue-gate.min.js`, { 'Accept-Encoding': 'br' }),
      ),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(brotliDecompressSync(answer.body).toString(), rebuilt);
    }
  });

  it('lets a page of any origin load the bundles under /dist/ as modules, and only those', async () => {
    const bundle = await rawGet(`${server.url}/dist/queue-gate.min.js`, {
      Origin: 'https://shop.example',
    });
    assert.equal(bundle.headers['access-control-allow-origin'], '*');
    assert.equal(bundle.headers['cross-origin-resource-policy'], 'cross-origin');
    const demo = await rawGet(`${server.url}/demo/logo.png`, { Origin: 'https://shop.example' });
    assert.equal(demo.status, 200);
    assert.equal(demo.headers['access-control-allow-origin'], undefined);
  });

  it('leaves pictures alone: they are compressed already', async () => {
    const answer = await rawGet(`${server.url}/demo/logo.png`, { 'Accept-Encoding': 'gzip' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], undefined);
    assert.deepEqual(answer.body, picture);
  });

  it('sends a file changed on disk as it is now (a rebuild while the server runs)', async () => {
    const rebuilt = `${script}// rebuilt\n`;
    await writeFile(join(root, 'dist', 'queue-gate.min.js'), rebuilt);
    const answer = await rawGet(`${server.url}/dist/queue-gate.min.js`, {
      'Accept-Encoding': 'gzip',
    });
    assert.equal(gunzipSync(answer.body).toString(), rebuilt);
  });
});

describe('chooseEncoding', () => {
  const both = ['br', 'gzip'] as const;
  for (const [header, available, expected] of [
    ['gzip, deflate, br, zstd', both, 'br'],
    ['gzip', both, 'gzip'],
    ['GZIP', both, 'gzip'],
    ['BR', both, 'br'],
    ['deflate, gzip;q=0.5', both, 'gzip'],
    ['br;q=0.5, gzip', both, 'gzip'],
    ['br, gzip', ['gzip'], 'gzip'],
    ['br', ['gzip'], null],
    ['*', both, 'br'],
    ['*;q=0', both, null],
    ['gzip;q=0', both, null],
    ['gzip;q=0, *', both, 'br'],
    ['gzip;q=0, br;q=0, *', both, null],
    ['identity', both, null],
    ['', both, null],
    [undefined, both, null],
    ['gzip;q=nonsense', both, null],
  ] as const) {
    it(`${JSON.stringify(header)} of ${available.join('/')} → ${expected}`, () => {
      assert.equal(chooseEncoding(header, available), expected);
    });
  }
});
