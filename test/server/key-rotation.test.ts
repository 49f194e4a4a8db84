import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader } from 'jose';
import { auditFairnessRecord } from '../../src/server/audit/check-record.js';
import { keyRotationFor } from '../../src/server/keys/key-rotation.js';
import { runRotateKeys } from '../../src/server/keys/rotate-command.js';
import { ROOM_CONFIG_BOUNDS, OPENS_AT_HORIZON_MS } from '../../src/server/room-config.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { loadStoredSigner } from '../../src/server/stored-signer.js';
import { verifyAdmission } from '../../src/verify/verify-admission.js';
import {
  ADMIN_TOKEN,
  adminCall,
  admit,
  join,
  postJson,
  startTestServer,
} from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';

const DAY_MS = 86_400_000;

async function jwksOf(url: string): Promise<LooseJson> {
  const response = await fetch(`${url}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  return response.json();
}

const rotate = (url: string, token = ADMIN_TOKEN) =>
  postJson(`${url}/admin/keys/rotate`, undefined, { Authorization: `Bearer ${token}` });

describe('key rotation (embedded store)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rooms: { demo: { admitPerMinute: 0 } } });
  });
  after(() => server.close());

  it('makes the published next key current and keeps old tokens valid until they expire', async () => {
    const first = await jwksOf(server.url);
    assert.equal(first.keys.length, 2);
    assert.equal(first.current, first.keys[0].kid, 'the current key is named and listed first');
    const ticket = (await join(server)).json.ticket as string;
    const seq = (await join(server, 'demo', ticket)).json.seq as number;
    assert.equal((await adminCall(server, 'POST', 'demo/advance', { by: 1 })).status, 200);
    const admission = (await admit(server, ticket)).json.admission as string;
    const record = await (await fetch(`${server.url}/rooms/demo/fairness`)).json();
    assert.equal(decodeProtectedHeader(ticket).kid, first.current);

    assert.equal((await rotate(server.url, 'not-the-admin-token-000')).status, 401);
    const wrongMethod = await fetch(`${server.url}/admin/keys/rotate`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('Allow'), 'POST');
    assert.equal((await jwksOf(server.url)).current, first.current, 'nothing rotated yet');
    const rotated = await rotate(server.url);
    assert.equal(rotated.status, 200);
    assert.equal(rotated.json.current, first.next, 'the key published ahead signs now');
    assert.notEqual(rotated.json.next, first.next);
    const second = await jwksOf(server.url);
    assert.equal(second.current, first.next);
    assert.deepEqual(
      second.keys.map((key: LooseJson) => key.kid),
      [first.next, second.next, first.current],
      'current, next, then the retired key',
    );
    const fresh = (await join(server)).json.ticket as string;
    assert.equal(decodeProtectedHeader(fresh).kid, first.next);

    // Signed before the rotation, verified after it.
    const again = await join(server, 'demo', ticket);
    assert.equal(again.status, 200);
    assert.equal(again.json.seq, seq);
    const claims = await verifyAdmission(admission, {
      jwks: second,
      room: 'demo',
      audience: server.origin,
      issuer: server.origin,
      now: server.clock.now,
    });
    assert.equal(claims.seq, seq);
    const checks = await auditFairnessRecord({ room: 'demo', record, jwks: second });
    assert.deepEqual(
      checks.filter((check) => !check.ok),
      [],
    );

    // Past the longest life of anything the old key signed, it is gone and refuses.
    const retention = OPENS_AT_HORIZON_MS + ROOM_CONFIG_BOUNDS.holdSeconds.max * 1000 + DAY_MS;
    server.clock.advance(retention - 60_000);
    assert.ok((await jwksOf(server.url)).keys.some((k: LooseJson) => k.kid === first.current));
    server.clock.advance(2 * 60_000);
    const third = await jwksOf(server.url);
    assert.deepEqual(
      third.keys.map((key: LooseJson) => key.kid),
      [second.current, second.next],
    );
    await assert.rejects(
      server.signer.verifyTicket(ticket, { room: 'demo', acceptExpired: true }),
      { code: 'token_unknown_kid' },
    );
    const stale = await auditFairnessRecord({ room: 'demo', record, jwks: third });
    assert.ok(stale.some((check) => !check.ok && /signature/.test(check.name)));
    // What the new key signed still verifies.
    await server.signer.verifyTicket(fresh, { room: 'demo', acceptExpired: true });
  });
});

describe('queue-gate rotate-keys', () => {
  it('rotates a running server with the admin token, and says so; refuses without it', async () => {
    const server = await startTestServer();
    try {
      const before = await jwksOf(server.url);
      const lines: string[] = [];
      const say = (line: string) => lines.push(line);
      const env = { QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN };
      assert.equal(await runRotateKeys([server.url], env, say, say), 0);
      assert.equal((await jwksOf(server.url)).current, before.next);
      assert.match(lines.join('\n'), new RegExp(`Signing key now ${before.next}`));
      const wrong = { QUEUE_GATE_ADMIN_TOKEN: 'wrong-admin-token-0000000' };
      assert.equal(await runRotateKeys([server.url], wrong, say, say), 1);
      assert.equal(await runRotateKeys([server.url], {}, say, say), 2);
      assert.equal((await jwksOf(server.url)).current, before.next, 'refused: nothing rotated');
    } finally {
      await server.close();
    }
  });
});

describe('scheduled key rotation', () => {
  it('rotates once the next key has been published for the interval, and saves it', async () => {
    let time = Date.UTC(2026, 5, 1);
    const now = () => time;
    const store = await MemoryStore.open();
    const { signer, saveKeysIfChanged } = await loadStoredSigner(store, 'https://q.test', now, {
      rotateEveryMs: 7 * DAY_MS,
    });
    const start = signer.jwks();
    time += 7 * DAY_MS - 1;
    await saveKeysIfChanged();
    assert.equal(signer.jwks().current, start.current, 'not before the interval');
    time += 1;
    await saveKeysIfChanged();
    assert.equal(signer.jwks().current, start.next);
    const saved = await store.loadSigningKeys();
    assert.equal(saved.find((key) => key.next === true)?.kid, signer.jwks().next);
    assert.equal(saved.find((key) => key.kid === start.current)?.retiredAt, time);
    // A second signer on the same store (another process) adopts it at its next sync.
    const other = await loadStoredSigner(store, 'https://q.test', now);
    assert.equal(other.signer.jwks().current, start.next);
    await keyRotationFor(store, signer, now).rotate();
    await other.saveKeysIfChanged();
    assert.equal(other.signer.jwks().current, signer.jwks().current);
    assert.deepEqual(other.signer.jwks().keys, signer.jwks().keys);
  });
});
