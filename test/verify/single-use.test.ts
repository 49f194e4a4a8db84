import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdmissionError,
  admissionPlaceKey,
  consumeAdmission,
  createMemorySingleUseStore,
  verifyAdmission,
} from '../../src/verify/index.js';
import type { AdmissionClaims } from '../../src/verify/index.js';
import {
  createTokenFixture,
  genuine,
  START_MS,
  verifyOptionsFor,
} from './support/refusal-cases.js';

/** Admission claims for place `seq` whose hold lets admissions be signed for 300 s more. */
function claims(jti: string, expSeconds = START_MS / 1000 + 120, seq = 1): AdmissionClaims {
  return {
    iss: 'https://queue.test',
    sub: 'visitor-1',
    room: 'launch',
    seq,
    aud: 'https://book.test',
    jti,
    iat: expSeconds - 120,
    exp: expSeconds,
    placeExp: expSeconds + 300,
  };
}

describe('single use of admissions', () => {
  it('lets a verified admission through once and answers admission_used (409) the second time', async () => {
    const fx = await createTokenFixture();
    const store = createMemorySingleUseStore({ now: () => fx.clock.now });
    const options = verifyOptionsFor(fx);
    const token = await genuine(fx, 'admission');
    await consumeAdmission(await verifyAdmission(token, options), store);
    const replay = consumeAdmission(await verifyAdmission(token, options), store);
    await assert.rejects(replay, (error: unknown) => {
      assert.ok(error instanceof AdmissionError);
      assert.equal(error.code, 'admission_used');
      assert.equal(error.status, 409);
      return true;
    });
  });

  it('lets exactly one of two concurrent uses of one admission win', async () => {
    const store = createMemorySingleUseStore({ now: () => START_MS });
    const results = await Promise.allSettled([
      consumeAdmission(claims('same'), store),
      consumeAdmission(claims('same'), store),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((lost.reason as AdmissionError).code, 'admission_used');
  });

  it('lets exactly one of many concurrent raw consumes of one jti get true', async () => {
    const store = createMemorySingleUseStore({ now: () => START_MS });
    const wins = await Promise.all(
      Array.from({ length: 50 }, () => store.consume('j', START_MS + 1000)),
    );
    assert.equal(wins.filter(Boolean).length, 1);
  });

  it('keeps different places apart', async () => {
    const store = createMemorySingleUseStore({ now: () => START_MS });
    await consumeAdmission(claims('a', undefined, 1), store);
    await consumeAdmission(claims('b', undefined, 2), store);
    assert.equal(store.size, 2);
  });

  it('books a place once whichever of its admissions comes: a new jti after expiry is refused', async () => {
    // A ticket shared with friends: the queue signs a fresh admission (new jti) for the same
    // place each time the last one expires within the hold. Keyed by jti, each would book.
    const clock = { now: START_MS };
    const store = createMemorySingleUseStore({ now: () => clock.now });
    const first = claims('first-jti');
    await consumeAdmission(first, store);
    clock.now = START_MS + 150_000;
    const later = claims('second-jti', clock.now / 1000 + 120);
    await assert.rejects(consumeAdmission(later, store), (error: unknown) => {
      assert.ok(error instanceof AdmissionError);
      assert.equal(error.code, 'admission_used');
      return true;
    });
    assert.equal(admissionPlaceKey(first), admissionPlaceKey(later));
    assert.equal(admissionPlaceKey(first), 'https://queue.test|launch|1');
  });

  it('remembers a booked place until its placeExp plus the clock tolerance, then sweeps it', async () => {
    const clock = { now: START_MS };
    const store = createMemorySingleUseStore({ now: () => clock.now, sweepIntervalMs: 1000 });
    const booked = claims('old');
    await consumeAdmission(booked, store);
    const key = admissionPlaceKey(booked);
    clock.now = (booked.placeExp + 9) * 1000;
    assert.equal(await store.consume(key, clock.now + 1000), false, 'still remembered');
    clock.now = (booked.placeExp + 10) * 1000;
    await consumeAdmission(claims('new', clock.now / 1000 + 120, 2), store);
    assert.equal(store.size, 1, 'the place past its placeExp was swept');
  });

  it('bounds its memory: refuses with internal (503) rather than forgetting live ids', async () => {
    const store = createMemorySingleUseStore({ now: () => START_MS, maxEntries: 2 });
    assert.equal(await store.consume('a', START_MS + 1000), true);
    assert.equal(await store.consume('b', START_MS + 1000), true);
    await assert.rejects(store.consume('c', START_MS + 1000), (error: unknown) => {
      assert.ok(error instanceof AdmissionError);
      assert.equal(error.status, 503);
      return true;
    });
    assert.equal(await store.consume('a', START_MS + 1000), false, 'a is still remembered');
    assert.equal(store.size, 2);
  });

  it('refuses an expiry that is not a number instead of treating it as expired', async () => {
    const store = createMemorySingleUseStore({ now: () => START_MS });
    await assert.rejects(store.consume('x', Number.NaN), TypeError);
    assert.equal(store.size, 0);
  });
});
