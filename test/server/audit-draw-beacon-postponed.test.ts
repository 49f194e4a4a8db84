/**
 * Audit: a draw bound to a beacon round promises that nobody, the operator included, knows the
 * order before the entrants freeze, because the round comes out after the opening (the signed
 * commitment names both). Postponing the opening past the round would freeze the entrants after
 * the round's value is public, and the record would still pass every check: the server refuses
 * it, and still lets the opening move earlier.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminCall } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { BEACON, startBeaconServer } from './helpers/beacon-opening.js';

const MINUTE = 60_000;

describe('audit: postponing the opening of a draw bound to a beacon round', () => {
  let server: TestServer;
  before(async () => {
    server = await startBeaconServer();
  });
  after(() => server.close());

  const put = async (room: string, body: Record<string, unknown>) => {
    const answer = await adminCall(server, 'PUT', room, body);
    return { status: answer.status, json: (await answer.json()) as LooseJson };
  };

  it('is refused before the entrants froze: the round would be public by then', async () => {
    const opensAt = server.clock.now() + 10 * MINUTE;
    assert.equal((await put('later', { opensAt, beacon: BEACON })).status, 201);
    const postponed = await put('later', { opensAt: opensAt + 24 * 60 * MINUTE });
    assert.equal(postponed.status, 409);
    assert.equal(postponed.json.error.code, 'beacon_conflict');
    const kept = await put('later', { admitPerMinute: 100 });
    assert.equal(kept.json.config.opensAt, opensAt, 'the opening stays where it was');
  });

  it('lets the opening move earlier, and back up to the committed one', async () => {
    const opensAt = server.clock.now() + 10 * MINUTE;
    assert.equal((await put('earlier', { opensAt, beacon: BEACON })).status, 201);
    assert.equal((await put('earlier', { opensAt: opensAt - 5 * MINUTE })).status, 200);
    assert.equal((await put('earlier', { opensAt })).status, 200);
  });

  it('leaves rooms without a beacon free to postpone', async () => {
    const opensAt = server.clock.now() + 10 * MINUTE;
    assert.equal((await put('plain', { opensAt })).status, 201);
    assert.equal((await put('plain', { opensAt: opensAt + 60 * MINUTE })).status, 200);
  });
});
