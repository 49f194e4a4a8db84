/**
 * Outside audit (QA pass on the demo): right after a pause, the measured rate still counted the
 * last minute's moves, so state and join answers told visitors the line moved two places a
 * second while it stood still. The waiting screen carried on counting places down and promised
 * "less than a minute" in a paused room. Visitors are now told 0 while the line cannot move;
 * the operator's stats keep the measured rate.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adminCall, join, startTestServer } from './helpers/test-server.js';
import type { TestServer } from './helpers/test-server.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function stateOf(server: TestServer, room: string) {
  return (await (await fetch(`${server.url}/rooms/${room}/state`)).json()) as {
    status: string;
    ratePerSec: number;
  };
}

describe('audit: the rate visitors are told while the line stands still', () => {
  it('is 0 in state and join answers while paused or closed, the measured rate again once open', async () => {
    const queue = await startTestServer({ rooms: { line: { admitPerMinute: 0 } } });
    servers.push(queue);
    for (let i = 0; i < 40; i += 1) await join(queue, 'line');
    assert.equal((await adminCall(queue, 'POST', 'line/advance', { by: 30 })).status, 200);
    queue.clock.advance(1000);
    const moving = await stateOf(queue, 'line');
    assert.equal(moving.status, 'open');
    assert.ok(moving.ratePerSec > 0, 'the line moved in the last minute');

    assert.equal((await adminCall(queue, 'POST', 'line/pause')).status, 200);
    queue.clock.advance(1000);
    const paused = await stateOf(queue, 'line');
    assert.equal(paused.status, 'paused');
    assert.equal(paused.ratePerSec, 0, 'a paused line is not said to move');
    const joined = await join(queue, 'line');
    assert.equal(joined.json.ratePerSec, 0, 'nor in a join answer');
    const stats = (await (await adminCall(queue, 'GET', 'line')).json()) as { ratePerSec: number };
    assert.ok(stats.ratePerSec > 0, "the operator's stats keep the last minute's measured rate");

    assert.equal((await adminCall(queue, 'POST', 'line/close')).status, 200);
    assert.equal((await stateOf(queue, 'line')).ratePerSec, 0, 'nor a closed one');

    assert.equal((await adminCall(queue, 'POST', 'line/resume')).status, 200);
    assert.equal((await stateOf(queue, 'line')).ratePerSec, moving.ratePerSec);
  });
});
