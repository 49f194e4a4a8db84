import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdmissionError, verifyAdmission } from '../../src/verify/index.js';
import { createTokenFixture, verifyOptionsFor } from './support/refusal-cases.js';
import type { TokenFixture } from './support/refusal-cases.js';

/** A genuine admission to place 3, of `cohort` when one is given. */
const admissionOf = (fx: TokenFixture, cohort?: string) =>
  fx.signer.signAdmission({
    sub: 'v',
    room: fx.room,
    seq: 3,
    aud: fx.audience,
    ...(cohort === undefined ? {} : { cohort }),
  });

describe('verifyAdmission with a required cohort', () => {
  it('accepts an admission of the required cohort and returns the claim', async () => {
    const fx = await createTokenFixture();
    const { token } = await admissionOf(fx, '4');
    const claims = await verifyAdmission(token, {
      ...verifyOptionsFor(fx),
      cohort: '4',
    });
    assert.equal(claims.cohort, '4');
    assert.equal(claims.seq, 3);
  });

  it('refuses another cohort and an admission without one with token_wrong_cohort (401)', async () => {
    const fx = await createTokenFixture();
    const options = {
      ...verifyOptionsFor(fx),
      cohort: '4',
    };
    const other = await admissionOf(fx, '5');
    const none = await admissionOf(fx);
    for (const token of [other.token, none.token]) {
      await assert.rejects(verifyAdmission(token, options), (error: unknown) => {
        assert.ok(error instanceof AdmissionError);
        assert.equal(error.code, 'token_wrong_cohort');
        assert.equal(error.status, 401);
        return true;
      });
    }
    // Without the option the cohort is not checked: existing integrations keep working.
    const { cohort: _ignored, ...withoutCohort } = options;
    assert.equal((await verifyAdmission(other.token, withoutCohort)).cohort, '5');
  });

  it('still refuses a forged token as forged when a cohort is required', async () => {
    const fx = await createTokenFixture();
    const { token } = await admissionOf(fx, '4');
    const forged = `${token.slice(0, -4)}AAAA`;
    await assert.rejects(
      verifyAdmission(forged, { ...verifyOptionsFor(fx), cohort: '4' }),
      (error: unknown) => error instanceof AdmissionError && error.code === 'token_bad_signature',
    );
  });
});
