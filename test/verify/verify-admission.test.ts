import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionError, verifyAdmission } from '../../src/verify/index.js';
import type { VerifyAdmissionOptions } from '../../src/verify/index.js';
import { REFUSAL_CASES, createTokenFixture, genuine } from './support/refusal-cases.js';
import type { TokenFixture } from './support/refusal-cases.js';
import { serveJwks } from './support/http-server.js';

function optionsFor(
  fx: TokenFixture,
  keys: Partial<VerifyAdmissionOptions> = {},
): VerifyAdmissionOptions {
  return {
    jwks: keys.key || keys.jwksUrl ? undefined : fx.signer.jwks(),
    room: fx.room,
    audience: fx.audience,
    issuer: fx.issuer,
    now: () => fx.clock.now,
    ...keys,
  };
}

async function refusal(promise: Promise<unknown>): Promise<AdmissionError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AdmissionError, `expected an AdmissionError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the admission to be refused');
}

describe('verifyAdmission', () => {
  it('returns the claims of a genuine admission verified against the JWKS', async () => {
    const fx = await createTokenFixture();
    const signed = await fx.signer.signAdmission({
      sub: 'visitor-9',
      room: 'launch',
      seq: 12,
      aud: 'https://book.test',
      jti: 'jti-9',
    });
    assert.deepEqual(await verifyAdmission(signed.token, optionsFor(fx)), signed.claims);
  });

  it('verifies against a single public JWK given as key', async () => {
    const fx = await createTokenFixture();
    const token = await genuine(fx, 'admission');
    const claims = await verifyAdmission(token, optionsFor(fx, { key: fx.publicJwk }));
    assert.equal(claims.seq, 7);
  });

  it('accepts any issuer when none is configured, but still requires the claim', async () => {
    const fx = await createTokenFixture();
    const token = await genuine(fx, 'admission');
    const claims = await verifyAdmission(token, { ...optionsFor(fx), issuer: undefined });
    assert.equal(claims.iss, 'https://queue.test');
  });

  it('answers token_missing (401) when no token is given', async () => {
    const fx = await createTokenFixture();
    for (const missing of [null, undefined, '']) {
      const error = await refusal(verifyAdmission(missing, optionsFor(fx)));
      assert.equal(error.code, 'token_missing');
      assert.equal(error.status, 401);
    }
  });

  it('rejects a configuration without exactly one key source', async () => {
    const fx = await createTokenFixture();
    const token = await genuine(fx, 'admission');
    await assert.rejects(verifyAdmission(token, { ...optionsFor(fx), jwks: undefined }), TypeError);
    await assert.rejects(
      verifyAdmission(token, { ...optionsFor(fx), key: fx.publicJwk }),
      TypeError,
    );
    await assert.rejects(verifyAdmission(token, { ...optionsFor(fx), audience: '' }), TypeError);
  });

  describe('refuses with its own code and status 401', () => {
    for (const refusalCase of REFUSAL_CASES) {
      if (refusalCase.only === 'ticket') continue;
      it(`refuses ${refusalCase.name} (${refusalCase.code})`, async () => {
        const fx = await createTokenFixture();
        const token = await refusalCase.make(fx, 'admission');
        const error = await refusal(verifyAdmission(token, optionsFor(fx)));
        assert.equal(error.code, refusalCase.code);
        assert.equal(error.status, 401);
        assert.ok(
          token === '' || !error.message.includes(token),
          'the message never echoes the token',
        );
      });
    }
  });

  describe('with a remote JWKS', () => {
    it('fetches the key set over HTTP once and reuses it', async () => {
      const fx = await createTokenFixture();
      const jwks = await serveJwks(() => fx.signer.jwks());
      try {
        const options = optionsFor(fx, { jwksUrl: jwks.jwksUrl });
        assert.equal((await verifyAdmission(await genuine(fx, 'admission'), options)).seq, 7);
        assert.equal((await verifyAdmission(await genuine(fx, 'admission'), options)).seq, 7);
        assert.equal(jwks.fetches, 1);
      } finally {
        await jwks.close();
      }
    });

    it('verifies admissions signed after a rotation from the cached set, as the key was published ahead', async () => {
      const fx = await createTokenFixture();
      const jwks = await serveJwks(() => fx.signer.jwks());
      try {
        const options = optionsFor(fx, { jwksUrl: new URL(jwks.jwksUrl) });
        await verifyAdmission(await genuine(fx, 'admission'), options);
        await fx.signer.rotate();
        const claims = await verifyAdmission(await genuine(fx, 'admission'), options);
        assert.equal(claims.sub, 'visitor-1');
        assert.equal(jwks.fetches, 1);
      } finally {
        await jwks.close();
      }
    });

    it('answers internal (503), not a token refusal, when the JWKS endpoint fails', async () => {
      const fx = await createTokenFixture();
      const jwks = await serveJwks(() => fx.signer.jwks());
      jwks.status = 500;
      try {
        const token = await genuine(fx, 'admission');
        const error = await refusal(
          verifyAdmission(token, optionsFor(fx, { jwksUrl: jwks.jwksUrl })),
        );
        assert.equal(error.code, 'internal');
        assert.equal(error.status, 503);
      } finally {
        await jwks.close();
      }
    });

    it('refuses a remote-verified admission signed by an unknown kid', async () => {
      const fx = await createTokenFixture();
      const other = await createTokenFixture();
      const jwks = await serveJwks(() => fx.signer.jwks());
      try {
        const token = await genuine(other, 'admission');
        const error = await refusal(
          verifyAdmission(token, optionsFor(fx, { jwksUrl: jwks.jwksUrl })),
        );
        assert.equal(error.code, 'token_unknown_kid');
      } finally {
        await jwks.close();
      }
    });
  });
});
