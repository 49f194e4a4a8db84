/**
 * A backend that verifies with a wider clock allowance than the default and then consumes, as
 * docs/verify.md shows ("Any Fetch API server", `verifyAdmission` then `consumeAdmission`),
 * must still book each place once: the place is remembered for as long as the verifier would
 * accept an admission of it, not only for the default allowance.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdmissionError,
  consumeAdmission,
  createMemorySingleUseStore,
  verifyAdmission,
} from '../../src/verify/index.js';
import { createTokenFixture, verifyOptionsFor } from './support/refusal-cases.js';

/** Wider than the default 10 s, as a backend whose clock drifts might configure it. */
const WIDE_TOLERANCE_SEC = 60;

describe('consumeAdmission after a verification with a non-default clock allowance', () => {
  it('refuses a replay accepted by the wide allowance after the default one would forget the place', async () => {
    const fx = await createTokenFixture();
    // The last admission of a hold: signed when the hold ends, so its exp is the placeExp.
    const { token, claims } = await fx.signer.signAdmission({
      sub: 'visitor-1',
      room: fx.room,
      seq: 9,
      aud: fx.audience,
    });
    assert.equal(claims.placeExp, claims.exp, 'the case where no later admission exists');
    const options = { ...verifyOptionsFor(fx), clockToleranceSec: WIDE_TOLERANCE_SEC };
    const store = createMemorySingleUseStore({ now: () => fx.clock.now });

    await consumeAdmission(await verifyAdmission(token, options), store);

    // 30 s past placeExp: past placeExp plus the default 10 s, within the verifier's 60 s.
    fx.clock.now = (claims.placeExp + 30) * 1000;
    const replayed = await verifyAdmission(token, options);
    await assert.rejects(consumeAdmission(replayed, store), (error: unknown) => {
      assert.ok(error instanceof AdmissionError);
      assert.equal(error.code, 'admission_used');
      return true;
    });
  });

  it('still books a different place after the same verification', async () => {
    const fx = await createTokenFixture();
    const options = { ...verifyOptionsFor(fx), clockToleranceSec: WIDE_TOLERANCE_SEC };
    const store = createMemorySingleUseStore({ now: () => fx.clock.now });
    for (const seq of [1, 2]) {
      const { token } = await fx.signer.signAdmission({
        sub: 'visitor-1',
        room: fx.room,
        seq,
        aud: fx.audience,
      });
      await consumeAdmission(await verifyAdmission(token, options), store);
    }
    assert.equal(store.size, 2);
  });
});
