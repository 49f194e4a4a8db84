/**
 * The attack of the issue: one client registering forty times before an opening took seven of
 * the first ten places of a draw. With identity, forty concurrent registrations of one person
 * make one draw entry, and the draw still checks with the independent verifier.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { adminCall, join, postJson, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { createIdentitySite } from './support/identity-site.js';
import type { IdentitySite } from './support/identity-site.js';

/** The public record checked by `scripts/verify-draw.mjs`, fed on stdin as `curl | node` would. */
function checkedByVerifier(record: unknown): LooseJson {
  const run = spawnSync(process.execPath, ['scripts/verify-draw.mjs', '-'], {
    input: JSON.stringify(record),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe('a person registering 40 times before an opening', () => {
  let server: TestServer;
  let site: IdentitySite;
  before(async () => {
    server = await startTestServer({ rooms: {} });
    site = await createIdentitySite(server.clock.now);
    const opensAt = server.clock.now() + 30 * 60_000;
    const put = await adminCall(server, 'PUT', 'launch', {
      admitPerMinute: 0,
      opensAt,
      identity: site.identity,
    });
    assert.equal(put.status, 201);
  });
  after(() => server.close());

  it('makes one draw entry, answered to every registration, and a draw that verifies', async () => {
    const registrations = await Promise.all(
      Array.from({ length: 40 }, async () =>
        postJson(`${server.url}/rooms/launch/join`, {
          identity: await site.assert({ sub: 'eager' }),
        }),
      ),
    );
    for (const answer of registrations) {
      assert.equal(answer.status, 200);
      assert.equal(answer.json.pre, true);
    }
    const subs = new Set(registrations.map((answer) => decodeJwt(answer.json.ticket).sub));
    assert.equal(subs.size, 1, 'every registration answers the one entry');
    // Twenty honest visitors: ten signed in, ten anonymous (the room does not require identity).
    for (let i = 0; i < 10; i += 1) {
      const signedIn = await postJson(`${server.url}/rooms/launch/join`, {
        identity: await site.assert({ sub: `honest-${i}` }),
      });
      assert.equal(signedIn.json.pre, true);
      assert.equal((await join(server, 'launch')).json.pre, true);
    }
    const stats = (await (await adminCall(server, 'GET', 'launch')).json()) as LooseJson;
    assert.equal(stats.preOpen, 21, 'one entry for the forty registrations, twenty honest ones');

    server.clock.advance(30 * 60_000 + 1000);
    const placed = await join(server, 'launch', registrations[0]!.json.ticket);
    assert.ok(placed.json.seq >= 1 && placed.json.seq <= 21);
    // After the draw, the person still has that one place, from any device.
    const again = await postJson(`${server.url}/rooms/launch/join`, {
      identity: await site.assert({ sub: 'eager' }),
    });
    assert.equal(again.json.seq, placed.json.seq);
    assert.equal(again.json.pre, undefined);

    const record = (await (await fetch(`${server.url}/rooms/launch/fairness`)).json()) as LooseJson;
    assert.equal(record.draw.entrants.length, 21);
    const checked = checkedByVerifier(record);
    assert.equal(checked.ok, true);
    assert.equal(checked.entrants, 21);
    const [sub] = subs;
    const order = checked.order as Array<{ sub: string; seq: number }>;
    assert.deepEqual(
      order.filter((entry) => entry.sub === sub).map((entry) => entry.seq),
      [placed.json.seq],
    );
  });
});
