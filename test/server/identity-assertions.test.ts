/**
 * Identity assertions as an attacker would send them, and the room settings that configure
 * them, against the real server over HTTP: every refusal has its token code and says it is
 * about the identity (`token: "identity"`), so a client keeps its ticket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, generateSecret } from 'jose';
import { LIMITS } from '../../src/protocol.js';
import { adminCall, join, postJson, startTestServer } from './helpers/test-server.js';
import type { LooseJson, TestServer } from './helpers/test-server.js';
import { createIdentitySite, forgerKey, SITE_ISSUER } from './support/identity-site.js';
import type { IdentitySite } from './support/identity-site.js';

describe('identity assertions: each refusal has its code and token "identity"', () => {
  let server: TestServer;
  let site: IdentitySite;
  before(async () => {
    server = await startTestServer();
    site = await createIdentitySite(server.clock.now);
    const put = await adminCall(server, 'PUT', 'sale', {
      admitPerMinute: 0,
      identity: site.identity,
    });
    assert.equal(put.status, 201);
  });
  after(() => server.close());

  const joinAs = (identity: string, ticket?: string) =>
    postJson(`${server.url}/rooms/sale/join`, { identity, ...(ticket ? { ticket } : {}) });
  const refused = async (identity: string | Promise<string>, code: string) => {
    const answer = await joinAs(await identity);
    assert.equal(answer.status, 401, `${code}: ${JSON.stringify(answer.json)}`);
    assert.equal(answer.json.error.code, code);
    assert.equal(answer.json.error.token, 'identity');
    assert.match(answer.json.error.message, /\w+/);
  };

  it('accepts an honest assertion and answers the room as "optional"', async () => {
    const answer = await joinAs(await site.assert());
    assert.equal(answer.status, 200);
    assert.equal(answer.json.identity, 'optional');
    assert.ok(answer.json.seq >= 1);
  });

  it('refuses a forged signature, an unknown kid and garbage', async () => {
    await refused(site.assert({ key: await forgerKey() }), 'token_bad_signature');
    await refused(site.assert({ kid: 'someone-else' }), 'token_unknown_kid');
    await refused('not.a.jwt', 'token_malformed');
  });

  it('refuses HS256 and alg "none" for their algorithm', async () => {
    await refused(site.assertHs256('user-a'), 'token_alg_not_allowed');
    await refused(site.assertNone('user-a'), 'token_alg_not_allowed');
  });

  it('refuses an expired assertion, another issuer and another audience', async () => {
    const iat = Math.floor(server.clock.now() / 1000) - 600;
    await refused(site.assert({ iat, lifetimeSec: 300 }), 'token_expired');
    await refused(site.assert({ iss: 'https://evil.example' }), 'token_wrong_issuer');
    await refused(site.assert({ aud: 'another-service' }), 'token_wrong_audience');
    await refused(site.assert({ aud: null }), 'token_missing_claim');
  });

  it('refuses a lifetime of a day, with or without iat, but not ten minutes', async () => {
    await refused(site.assert({ lifetimeSec: 86_400 }), 'token_lifetime_too_long');
    await refused(site.assert({ iat: null, lifetimeSec: 86_400 }), 'token_lifetime_too_long');
    await refused(site.assert({ lifetimeSec: 11 * 60 }), 'token_lifetime_too_long');
    assert.equal((await joinAs(await site.assert({ lifetimeSec: 600 }))).status, 200);
  });

  it('refuses a missing or oversized sub, and an assertion over 8 KiB', async () => {
    await refused(site.assert({ sub: null }), 'token_missing_claim');
    await refused(site.assert({ sub: 'u'.repeat(257) }), 'token_missing_claim');
    const padded = await site.assert({ extra: { pad: 'p'.repeat(LIMITS.maxIdentityLength) } });
    assert.ok(padded.length > LIMITS.maxIdentityLength);
    await refused(padded, 'token_too_large');
  });

  it('keeps the ticket when only the identity is refused (the ticket is not the problem)', async () => {
    const anonymous = await join(server, 'sale');
    const answer = await joinAs(
      await site.assert({ iss: 'https://evil.example' }),
      anonymous.json.ticket,
    );
    assert.equal(answer.json.error.token, 'identity');
    assert.equal((await join(server, 'sale', anonymous.json.ticket)).json.seq, anonymous.json.seq);
  });

  it('answers a non-string identity with 400 invalid_body', async () => {
    const answer = await postJson(`${server.url}/rooms/sale/join`, { identity: 42 });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, 'invalid_body');
  });
});

describe('identity room settings (admin PUT/GET)', () => {
  let server: TestServer;
  let site: IdentitySite;
  before(async () => {
    server = await startTestServer();
    site = await createIdentitySite(server.clock.now);
  });
  after(() => server.close());

  const put = async (room: string, body: unknown) => {
    const response = await adminCall(server, 'PUT', room, body);
    return { status: response.status, json: (await response.json()) as LooseJson };
  };
  const refusedWith = async (body: unknown, pattern: RegExp) => {
    const answer = await put('bad', body);
    assert.equal(answer.status, 400, JSON.stringify(answer.json));
    assert.equal(answer.json.error.code, 'invalid_body');
    assert.match(answer.json.error.message, pattern);
  };

  it('makes a hash key, keeps it across later PUTs, and returns it to the admin only', async () => {
    const created = await put('keyed', { identity: site.identity, identityRequired: true });
    assert.equal(created.status, 201);
    const { hashKey } = created.json.config.identity;
    assert.match(hashKey, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(created.json.config.identityRequired, true);
    const again = await put('keyed', {
      identity: { ...site.identity, issuer: 'https://new.example' },
    });
    assert.equal(again.json.config.identity.hashKey, hashKey, 'kept when the PUT omits it');
    const read = await (await adminCall(server, 'GET', 'keyed')).json();
    assert.equal((read as LooseJson).config.identity.hashKey, hashKey);
    const state = await (await fetch(`${server.url}/rooms/keyed/state`)).text();
    assert.ok(!state.includes(hashKey), 'the public state never shows the key');
    assert.equal(JSON.parse(state).identity, 'required');
    const other = await put('other', { identity: site.identity });
    assert.notEqual(other.json.config.identity.hashKey, hashKey, 'each room its own key');
    const chosen = Buffer.alloc(32, 7).toString('base64url');
    const given = await put('other', { identity: { ...site.identity, hashKey: chosen } });
    assert.equal(given.json.config.identity.hashKey, chosen);
  });

  it('refuses identityRequired without identity, and removing identity from a required room', async () => {
    await refusedWith({ identityRequired: true }, /identityRequired needs identity/);
    await put('req', { identity: site.identity, identityRequired: true });
    const removed = await put('req', { identity: null });
    assert.equal(removed.status, 400);
    assert.equal((await put('req', { identity: null, identityRequired: false })).status, 200);
    await refusedWith({ identityRequired: 'yes' }, /true or false/);
  });

  it('refuses private keys, symmetric keys and keys queue-gate cannot use, readably', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const secret = await exportJWK(await generateSecret('HS256', { extractable: true }));
    const jwks = (keys: unknown[]) => ({ identity: { issuer: SITE_ISSUER, jwks: { keys } } });
    await refusedWith(jwks([privateJwk]), /private members/);
    await refusedWith(jwks([secret]), /symmetric keys/);
    await refusedWith(jwks([]), /1 to 16 keys/);
    await refusedWith(jwks(Array(17).fill(site.identity.jwks.keys[0])), /1 to 16 keys/);
    await refusedWith(
      jwks([{ ...site.identity.jwks.keys[0], alg: 'HS256' }]),
      /alg must be one of/,
    );
    await refusedWith(jwks([{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }]), /cannot be read/);
    await refusedWith(jwks([{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }]), /2048 bits/);
    await refusedWith({ identity: { jwks: site.identity.jwks } }, /identity.issuer/);
    await refusedWith({ identity: { ...site.identity, extra: 1 } }, /Unknown identity setting/);
    await refusedWith({ identity: { ...site.identity, hashKey: 'short' } }, /hashKey/);
    await refusedWith({ identity: 'https://shop.example' }, /identity must be an object/);
  });
});
