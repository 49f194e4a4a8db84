import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { createFairnessRecorder } from '../../src/server/fairness-recorder.js';
import { mergeRoomConfig } from '../../src/server/room-config.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { createTokenSigner } from '../../src/server/token-signer.js';
import { adminCall, admit, join, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';

async function getRecord(server: TestServer, room = 'demo') {
  const response = await fetch(`${server.url}/rooms/${room}/fairness`);
  return { response, json: (await response.json()) as LooseJson };
}

/** Ed25519 JWS checked with node:crypto alone: what a reader without a JOSE library can do. */
function verifyWithNodeCrypto(jws: string, keys: JWK[]): Record<string, unknown> {
  const [header64, payload64, signature64] = jws.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(header64, 'base64url').toString('utf8'));
  assert.equal(header.alg, 'EdDSA');
  assert.equal(header.typ, TOKEN_TYPES.fairness);
  const jwk = keys.find((key) => key.kid === header.kid);
  assert.ok(jwk, 'the snapshot names a key of the JWKS');
  const key = createPublicKey({ key: jwk as NodeJsonWebKey, format: 'jwk' });
  const ok = verifySignature(
    null,
    Buffer.from(`${header64}.${payload64}`),
    key,
    Buffer.from(signature64, 'base64url'),
  );
  assert.equal(ok, true, 'the signature verifies');
  return JSON.parse(Buffer.from(payload64, 'base64url').toString('utf8'));
}

describe('GET /rooms/:room/fairness', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      rooms: { demo: { admitPerMinute: 6000, holdSeconds: 600 } },
      claimGraceSeconds: 1,
    });
  });
  after(() => server.close());

  it('is public and cacheable, and unknown rooms answer 404', async () => {
    const { response, json } = await getRecord(server);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('cache-control') ?? '', /public/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.ok(response.headers.get('etag'));
    assert.equal(json.room, 'demo');
    assert.equal(json.draw, null);
    assert.equal(json.jwks, '/.well-known/jwks.json');
    const missing = await fetch(`${server.url}/rooms/nowhere/fairness`);
    assert.equal(missing.status, 404);
  });

  it('records the line over time and admissions per minute, with signed snapshots that verify against the JWKS', async () => {
    const tickets: string[] = [];
    for (let minute = 0; minute < 3; minute += 1) {
      for (let i = 0; i < 4; i += 1) tickets.push((await join(server)).json.ticket);
      server.clock.advance(20_000);
      await server.service.tick();
      for (const ticket of tickets.splice(0))
        assert.equal((await admit(server, ticket)).status, 200);
      server.clock.advance(40_000);
      await server.service.tick();
    }
    const { json } = await getRecord(server);
    assert.ok(json.series.length >= 4, `series of ${json.series.length}`);
    for (let i = 1; i < json.series.length; i += 1) {
      assert.ok(json.series[i].at > json.series[i - 1].at);
      assert.ok(json.series[i].serving >= json.series[i - 1].serving, 'serving never goes back');
    }
    assert.equal(json.series.at(-1).serving, 12);
    const admitted = json.admissionsPerMinute.reduce(
      (sum: number, m: LooseJson) => sum + m.count,
      0,
    );
    assert.equal(admitted, 12);
    assert.ok(json.admissionsPerMinute.length >= 3);

    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    const keySet = createLocalJWKSet(jwks);
    assert.ok(json.snapshots.length >= 2);
    let lastServing = 0;
    for (const snapshot of json.snapshots) {
      const { payload, protectedHeader } = await jwtVerify(snapshot, keySet, {
        issuer: server.origin,
        typ: TOKEN_TYPES.fairness,
        currentDate: new Date(server.clock.now()),
      });
      assert.equal(protectedHeader.alg, 'EdDSA');
      assert.equal(payload.room, 'demo');
      assert.ok((payload.serving as number) >= lastServing);
      lastServing = payload.serving as number;
      assert.deepEqual(verifyWithNodeCrypto(snapshot, jwks.keys), payload);
    }
    assert.equal(lastServing, 12, 'the newest snapshot says everybody up to 12 was called');
  });

  it('a tampered snapshot does not verify', async () => {
    const { json } = await getRecord(server);
    const [header, payload, signature] = (json.snapshots.at(-1) as string).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, serving: 1_000_000 })).toString(
      'base64url',
    );
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    await assert.rejects(jwtVerify(`${header}.${forged}.${signature}`, createLocalJWKSet(jwks)));
  });

  it('keeps the series bounded however long the room runs', async () => {
    await adminCall(server, 'PUT', 'long', { admitPerMinute: 0 });
    for (let i = 0; i < 300; i += 1) {
      server.clock.advance(16_000);
      await server.service.refreshRates();
    }
    const { json } = await getRecord(server, 'long');
    assert.ok(json.series.length <= 241, `series of ${json.series.length}`);
    assert.ok(json.snapshots.length <= 25, `snapshots: ${json.snapshots.length}`);
  });
});

describe('fairness recorders sharing one store', () => {
  it('take one sample per interval between them and build the same series', async () => {
    const store = await MemoryStore.open();
    const signer = await createTokenSigner({ issuer: 'http://q.test' });
    let time = Date.UTC(2026, 0, 1, 9, 0, 0);
    const record = await store.putRoomConfig(
      'r',
      mergeRoomConfig(null, { admitPerMinute: 0 }),
      time,
    );
    const [a, b] = [
      createFairnessRecorder({ signer, store, sampleMs: 15_000 }),
      createFairnessRecorder({ signer, store, sampleMs: 15_000 }),
    ];
    for (let i = 0; i < 8; i += 1) {
      await a.sample(record, [], time);
      await b.sample(record, [], time + 1);
      time += 5000;
    }
    const series = await store.readFairness('r');
    // 0..35 s: samples at 0, 15 s and 30 s, whichever recorder took each.
    assert.deepEqual(
      series.points.map((point) => point.at - Date.UTC(2026, 0, 1, 9, 0, 0)),
      [0, 15_000, 30_000],
    );
    assert.equal(series.snapshots.length, 3);
    const [fromA, fromB] = [await a.build(record, null, time), await b.build(record, null, time)];
    assert.deepEqual(fromA.series, fromB.series);
    assert.deepEqual(fromA.snapshots.slice(0, -1), series.snapshots);
    assert.deepEqual(fromB.snapshots.slice(0, -1), series.snapshots);
  });
});
