import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import { ADMIN_TOKEN, admit, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const METRICS_TOKEN = 'metrics-scraper-token-0123';

describe('GET /metrics and /healthz', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      rooms: { demo: { admitPerMinute: 0 }, sale: { admitPerMinute: 0 } },
      metricsToken: METRICS_TOKEN,
    });
  });
  after(() => server.close());

  const scrape = (token: string | null, method = 'GET') =>
    fetch(`${server.url}/metrics`, {
      method,
      headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    });

  it('exposes per-room gauges and counters as Prometheus text', async () => {
    const a = await join(server);
    await join(server);
    await join(server, 'sale');
    await adminCall(server, 'POST', 'demo/advance', { by: 1 });
    assert.equal((await admit(server, a.json.ticket)).status, 200);
    await fetch(`${server.url}/rooms/demo/admit`, { method: 'POST' });

    const answer = await scrape(METRICS_TOKEN);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    const value = (series: string) => {
      const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
      assert.ok(line, `missing ${series}`);
      return Number(line.split(' ')[1]);
    };
    assert.equal(value('queue_gate_waiting{room="demo"}'), 1);
    assert.equal(value('queue_gate_serving{room="demo"}'), 1);
    assert.equal(value('queue_gate_issued{room="demo"}'), 2);
    assert.equal(value('queue_gate_issued{room="sale"}'), 1);
    assert.equal(value('queue_gate_joins_total{room="demo"}'), 2);
    assert.equal(value('queue_gate_admissions_total{room="demo"}'), 1);
    assert.equal(value('queue_gate_active_admissions{room="demo"}'), 1);
    assert.equal(value('queue_gate_rejections_total{room="demo",code="token_missing"}'), 1);
    assert.match(text, /# TYPE queue_gate_errors_total counter/);
  });

  it('reads with the admin token too', async () => {
    const answer = await scrape(ADMIN_TOKEN);
    assert.equal(answer.status, 200);
    assert.match(await answer.text(), /queue_gate_issued\{room="sale"\}/);
  });

  it('refuses anyone without a token with 401 and WWW-Authenticate, naming no room', async () => {
    for (const token of [null, 'wrong-metrics-token-0123', METRICS_TOKEN.slice(0, -1), '']) {
      const answer = await scrape(token);
      assert.equal(answer.status, 401, `token ${JSON.stringify(token)}`);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="/);
      const body = await answer.text();
      assert.equal(JSON.parse(body).error.code, 'unauthorized');
      assert.doesNotMatch(body, /demo|sale/);
    }
  });

  it('gives the metrics token nothing but the metrics', async () => {
    const admin = await adminCall(server, 'GET', 'demo', undefined, METRICS_TOKEN);
    assert.equal(admin.status, 401);
    const advance = await adminCall(server, 'POST', 'demo/advance', { by: 1 }, METRICS_TOKEN);
    assert.equal(advance.status, 401);
  });

  it('answers 405 with Allow to another method, after the token', async () => {
    assert.equal((await scrape(null, 'POST')).status, 401);
    const wrong = await scrape(METRICS_TOKEN, 'POST');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  });

  it('reports health publicly, with a count and no room names', async () => {
    const answer = await fetch(`${server.url}/healthz`);
    assert.equal(answer.status, 200);
    const body = await answer.text();
    assert.deepEqual(JSON.parse(body), { status: 'ok', rooms: 2 });
    assert.doesNotMatch(body, /demo|sale/);
  });
});

describe('QUEUE_GATE_METRICS_TOKEN on the CLI server', () => {
  const dataDir = `/tmp/queue-gate-metrics-${process.pid}`;
  let child: Awaited<ReturnType<typeof startChildServer>>;
  before(async () => {
    child = await startChildServer({
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_ADMIN_TOKEN: 'metrics-cli-admin-token-0123',
      QUEUE_GATE_METRICS_TOKEN: METRICS_TOKEN,
    });
  });
  after(async () => {
    child.child.kill('SIGKILL');
    await child.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets the scraper in with the metrics token and nobody without one', async () => {
    const open = await fetch(`${child.url}/metrics`);
    assert.equal(open.status, 401);
    await open.arrayBuffer();
    const scraped = await fetch(`${child.url}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /queue_gate_issued\{room="demo"\}/);
    assert.doesNotMatch(child.output(), new RegExp(METRICS_TOKEN), 'the token is never printed');
  });
});
