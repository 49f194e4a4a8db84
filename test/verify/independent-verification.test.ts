/**
 * Cross-checks queue-gate's admissions with an independent implementation: node:crypto alone,
 * no JOSE library, as a booking backend in another stack would do from the JWKS.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { START_MS, createTokenFixture } from './support/refusal-cases.js';

describe('independent verification', () => {
  it('verifies an admission with node:crypto against the JWKS and checks its claims by hand', async () => {
    const fx = await createTokenFixture();
    const { token } = await fx.signer.signAdmission({
      sub: 'visitor-5',
      room: 'launch',
      seq: 5,
      aud: 'https://book.test',
    });
    const jwks = JSON.parse(JSON.stringify(fx.signer.jwks())) as { keys: JsonWebKey[] };

    const [headerPart, payloadPart, signaturePart] = token.split('.');
    const header = JSON.parse(Buffer.from(headerPart!, 'base64url').toString('utf8'));
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, TOKEN_TYPES.admission);
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    assert.ok(jwk, 'the kid is in the JWKS');
    assert.equal(jwk.kty, 'OKP');
    assert.equal(jwk.crv, 'Ed25519');

    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const data = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart!, 'base64url');
    assert.equal(verify(null, data, key, signature), true);
    const tampered = Buffer.from(`${headerPart}.${payloadPart}x`);
    assert.equal(verify(null, tampered, key, signature), false);

    const claims = JSON.parse(Buffer.from(payloadPart!, 'base64url').toString('utf8'));
    const nowSec = START_MS / 1000;
    assert.equal(claims.iss, 'https://queue.test');
    assert.equal(claims.aud, 'https://book.test');
    assert.equal(claims.room, 'launch');
    assert.equal(claims.sub, 'visitor-5');
    assert.ok(Number.isInteger(claims.seq) && claims.seq === 5);
    assert.equal(typeof claims.jti, 'string');
    assert.ok(claims.jti.length > 0);
    assert.ok(claims.iat <= nowSec);
    assert.ok(claims.exp > nowSec);
    assert.equal(claims.exp - claims.iat, 120);
  });
});
