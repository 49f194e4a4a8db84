/**
 * The pages and scripts the server shows go out gzip-compressed to clients that accept it: on a
 * 1.6 Mbps phone link the script tag's download is the longest step before the visitor's number
 * (BENCHMARKS.md, "First waiting screen"). Raw bytes over node:http, since fetch would decode.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startQueueServer } from '../../src/server/index.js';
import { acceptsGzip } from '../../src/server/routes/static-pages.js';

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

  it('sends the script gzip-compressed to a browser, the same bytes once decoded', async () => {
    const answer = await rawGet(`${server.url}/dist/queue-gate.min.js`, {
      'Accept-Encoding': 'gzip, deflate, br, zstd',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-encoding'], 'gzip');
    assert.equal(answer.headers['vary'], 'Accept-Encoding');
    assert.match(String(answer.headers['content-type']), /^text\/javascript/);
    assert.ok(answer.body.length * 10 < script.length, `${answer.body.length} bytes sent`);
    assert.equal(gunzipSync(answer.body).toString(), script);
  });

  it('sends it plain to a client that does not accept gzip, or refuses it with q=0', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0, identity', 'br']) {
      const answer = await rawGet(
        `${server.url}/dist/queue-gate.min.js`,
        accept === undefined ? {} : { 'Accept-Encoding': accept },
      );
      assert.equal(answer.headers['content-encoding'], undefined, String(accept));
      assert.equal(answer.headers['vary'], 'Accept-Encoding', String(accept));
      assert.equal(answer.body.toString(), script, String(accept));
    }
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

describe('acceptsGzip', () => {
  for (const [header, expected] of [
    ['gzip', true],
    ['GZIP', true],
    ['deflate, gzip;q=0.5', true],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0', false],
    ['gzip;q=0, *', false],
    ['identity', false],
    ['', false],
    ['gzip;q=nonsense', false],
  ] as const) {
    it(`${JSON.stringify(header)} → ${expected}`, () => {
      assert.equal(acceptsGzip(header), expected);
    });
  }
});
