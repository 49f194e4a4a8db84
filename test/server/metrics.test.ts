import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admit, adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

describe('GET /metrics and /healthz', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      rooms: { demo: { admitPerMinute: 0 }, sale: { admitPerMinute: 0 } },
    });
  });
  after(() => server.close());

  it('exposes per-room gauges and counters as Prometheus text', async () => {
    const a = await join(server);
    await join(server);
    await join(server, 'sale');
    await adminCall(server, 'POST', 'demo/advance', { by: 1 });
    assert.equal((await admit(server, a.json.ticket)).status, 200);
    await fetch(`${server.url}/rooms/demo/admit`, { method: 'POST' });

    const answer = await fetch(`${server.url}/metrics`);
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

  it('reports health', async () => {
    const answer = await fetch(`${server.url}/healthz`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { status: 'ok', rooms: 2 });
  });
});
