/**
 * The proof-of-work replay memory: honest proofs are never refused for lack of room, replays
 * are refused for as long as the proof is inside its window, and memory follows the window.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  PROOF_OF_WORK_HEADER,
  createProofOfWorkChallenge,
  leadingZeroBits,
} from '../../src/server/proof-of-work.js';
import { createUsedProofs } from '../../src/server/used-proofs.js';

const START = Date.UTC(2026, 0, 1, 9);
const WINDOW_MS = 120_000;

/** `count` distinct valid proofs for `room`, stamped at `timestamp` (1 bit: cheap to find). */
function proofs(room: string, timestamp: number, count: number, prefix = 'n'): string[] {
  const found: string[] = [];
  for (let counter = 0; found.length < count; counter += 1) {
    const nonce = `${prefix}${counter.toString(36)}`;
    const digest = createHash('sha256').update(`${room}|${nonce}|${timestamp}`).digest();
    if (leadingZeroBits(digest) >= 1) found.push(`${timestamp}.${nonce}`);
  }
  return found;
}

/** A join carrying `proof`; the challenge reads only its headers (a full Request costs more). */
const request = (proof: string) =>
  ({
    headers: { get: (name: string) => (name === PROOF_OF_WORK_HEADER ? proof : null) },
  }) as unknown as Request;

describe('createUsedProofs', () => {
  it('remembers a proof until it leaves the window, then forgets its whole bucket', () => {
    const used = createUsedProofs(WINDOW_MS);
    used.add('a', START);
    used.add('b', START + 10);
    used.forget(START + WINDOW_MS);
    assert.ok(used.has('a', START), 'still inside the window at its last acceptable moment');
    used.forget(START + WINDOW_MS + WINDOW_MS / 2);
    assert.equal(used.has('a', START), false);
    assert.equal(used.has('b', START + 10), false);
    assert.equal(used.size, 0);
  });

  it('is not held back by a proof stamped late in the window', () => {
    const used = createUsedProofs(WINDOW_MS);
    used.add('late', START + WINDOW_MS);
    for (let i = 0; i < 1000; i += 1) used.add(`early${i}`, START);
    used.forget(START + WINDOW_MS + WINDOW_MS / 2);
    assert.equal(used.size, 1, 'only the late proof, still replayable, is kept');
    assert.ok(used.has('late', START + WINDOW_MS));
  });

  it('holds at most the proofs of the window, however long it runs', () => {
    const used = createUsedProofs(WINDOW_MS);
    let most = 0;
    for (let at = START; at < START + 20 * WINDOW_MS; at += 1000) {
      used.forget(at);
      for (let i = 0; i < 5; i += 1) used.add(`${at}.${i}`, at);
      most = Math.max(most, used.size);
    }
    // 5 a second for the 120 s of the window, plus at most one bucket (30 s) not yet dropped.
    assert.ok(most <= 5 * (120 + 30 + 1), `held ${most}`);
  });

  it('refuses a window that is not a positive duration', () => {
    assert.throws(() => createUsedProofs(0), RangeError);
    assert.throws(() => createUsedProofs(Number.NaN), RangeError);
  });
});

describe('the proof-of-work challenge under a crowd', () => {
  it('never refuses an honest proof for lack of room, even past 100,000 in one window', async () => {
    let time = START;
    const challenge = createProofOfWorkChallenge({ bits: 1, now: () => time });
    // Stamped at the far end of the window: forgetting in arrival order stopped behind it.
    const [late] = proofs('launch', START + WINDOW_MS, 1, 'late');
    assert.equal(await challenge.verify(request(late!), 'launch'), true);
    const crowd = proofs('launch', START, 100_000);
    for (let i = 0; i < crowd.length; i += 1000) {
      const answers = await Promise.all(
        crowd.slice(i, i + 1000).map((proof) => challenge.verify(request(proof), 'launch')),
      );
      assert.ok(answers.every(Boolean), `batch at ${i}`);
    }
    // The crowd's proofs are out of the window now; the late one is not.
    time = START + WINDOW_MS + 1;
    const [next] = proofs('launch', time, 1, 'next');
    assert.equal(await challenge.verify(request(next!), 'launch'), true, 'a visitor after them');
    assert.equal(await challenge.verify(request(late!), 'launch'), false, 'still no replay');
  });

  it('refuses a replay across a bucket boundary, for as long as the window lasts', async () => {
    let time = START;
    const challenge = createProofOfWorkChallenge({ bits: 1, now: () => time });
    const [proof] = proofs('launch', START, 1);
    assert.equal(await challenge.verify(request(proof!), 'launch'), true);
    for (const later of [1, WINDOW_MS / 4, WINDOW_MS / 2 + 1, WINDOW_MS]) {
      time = START + later;
      assert.equal(await challenge.verify(request(proof!), 'launch'), false, `at +${later} ms`);
    }
    time = START + WINDOW_MS + 1;
    assert.equal(await challenge.verify(request(proof!), 'launch'), false, 'out of its window');
  });
});
