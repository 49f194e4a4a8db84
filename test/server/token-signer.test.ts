import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TOKEN_TYPES } from '../../src/protocol.js';
import { OPENS_AT_HORIZON_MS, ROOM_CONFIG_BOUNDS } from '../../src/server/room-config.js';
import { TokenError, createTokenSigner } from '../../src/server/token-signer.js';
import {
  START_MS,
  REFUSAL_CASES,
  createTokenFixture,
  genuine,
} from '../verify/support/refusal-cases.js';
import { decodeParts } from '../verify/support/token-forge.js';

async function refusal(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TokenError, `expected a TokenError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the token to be refused');
}

/**
 * A retired key must verify every ticket it signed: the longest is a pre-open ticket for an
 * opening at the horizon, which lives until the opening plus the longest hold and a ticket
 * lifetime (the fixture's: an hour).
 */
const LONGEST_TICKET_SECONDS =
  OPENS_AT_HORIZON_MS / 1000 + ROOM_CONFIG_BOUNDS.holdSeconds.max + 3600;

describe('token signer', () => {
  it('signs a ticket that verifies for its room with the claims it reports', async () => {
    const fx = await createTokenFixture();
    const signed = await fx.signer.signTicket({ sub: 'visitor-1', room: 'launch', seq: 42 });
    const iat = START_MS / 1000;
    assert.deepEqual(signed.claims, {
      iss: 'https://queue.test',
      sub: 'visitor-1',
      room: 'launch',
      seq: 42,
      iat,
      exp: iat + 3600,
    });
    assert.equal(signed.expiresAt, (iat + 3600) * 1000);
    assert.deepEqual(await fx.signer.verifyTicket(signed.token, { room: 'launch' }), signed.claims);
  });

  it('signs with EdDSA, the typ of the token kind and the current kid', async () => {
    const fx = await createTokenFixture();
    const ticket = decodeParts(await genuine(fx, 'ticket'));
    const admission = decodeParts(await genuine(fx, 'admission'));
    assert.deepEqual(ticket.header, { alg: 'EdDSA', typ: TOKEN_TYPES.ticket, kid: fx.kid });
    assert.deepEqual(admission.header, { alg: 'EdDSA', typ: TOKEN_TYPES.admission, kid: fx.kid });
  });

  it('signs admissions with the audience, a fresh jti and the admission lifetime', async () => {
    const fx = await createTokenFixture();
    const input = { sub: 'visitor-1', room: 'launch', seq: 3, aud: 'https://book.test' };
    const first = await fx.signer.signAdmission(input);
    const second = await fx.signer.signAdmission(input);
    assert.equal(first.claims.aud, 'https://book.test');
    assert.match(first.claims.jti, /^[0-9a-f-]{36}$/);
    assert.notEqual(first.claims.jti, second.claims.jti);
    assert.equal(first.claims.exp - first.claims.iat, 120);
    const custom = await fx.signer.signAdmission({ ...input, jti: 'fixed', ttlSeconds: 30 });
    assert.equal(custom.claims.jti, 'fixed');
    assert.equal(custom.expiresAt, (custom.claims.iat + 30) * 1000);
  });

  it('refuses to sign claims that no verifier would accept', async () => {
    const fx = await createTokenFixture();
    await assert.rejects(fx.signer.signTicket({ sub: '', room: 'launch', seq: 1 }), TypeError);
    await assert.rejects(fx.signer.signTicket({ sub: 'v', room: 'no spaces', seq: 1 }), TypeError);
    await assert.rejects(fx.signer.signTicket({ sub: 'v', room: 'launch', seq: 0 }), RangeError);
    await assert.rejects(fx.signer.signTicket({ sub: 'v', room: 'launch', seq: 1.5 }), RangeError);
    await assert.rejects(
      fx.signer.signAdmission({ sub: 'v', room: 'launch', seq: 1, aud: '' }),
      TypeError,
    );
    await assert.rejects(
      fx.signer.signAdmission({ sub: 'v', room: 'launch', seq: 1, aud: 'a', ttlSeconds: 7200 }),
      RangeError,
    );
  });

  it('accepts a ticket issued slightly in the future, within the clock tolerance', async () => {
    const fx = await createTokenFixture();
    fx.clock.now += 5_000;
    const token = await genuine(fx, 'ticket');
    fx.clock.now -= 5_000;
    assert.equal((await fx.signer.verifyTicket(token, { room: 'launch' })).seq, 7);
  });

  it('accepts a ticket until its expiry plus the clock tolerance', async () => {
    const fx = await createTokenFixture();
    const token = await genuine(fx, 'ticket');
    fx.clock.now += (3600 + 9) * 1000;
    assert.equal((await fx.signer.verifyTicket(token, { room: 'launch' })).sub, 'visitor-1');
  });

  describe('refuses with its own code', () => {
    for (const refusalCase of REFUSAL_CASES) {
      if (refusalCase.only === 'admission') continue;
      it(`refuses ${refusalCase.name} (${refusalCase.code})`, async () => {
        const fx = await createTokenFixture();
        const token = await refusalCase.make(fx, 'ticket');
        const error = await refusal(fx.signer.verifyTicket(token, { room: fx.room }));
        assert.equal(error.code, refusalCase.code);
        assert.ok(
          token === '' || !error.message.includes(token),
          'the message never echoes the token',
        );
      });
    }
  });

  describe('key rotation', () => {
    it('publishes the next key ahead of use and signs with it after a rotation', async () => {
      const fx = await createTokenFixture();
      const [current, next] = fx.signer.jwks().keys;
      assert.equal(current!.kid, fx.kid);
      assert.equal(fx.signer.exportKeys()[1]!.next, true);
      await fx.signer.rotate();
      const fresh = await genuine(fx, 'ticket');
      assert.equal(decodeParts(fresh).header.kid, next!.kid);
      const kids = fx.signer.jwks().keys.map((k) => k.kid);
      assert.equal(kids.length, 3);
      assert.deepEqual([kids[0], kids[2]], [next!.kid, fx.kid]);
      assert.ok(![next!.kid, fx.kid].includes(kids[1]), 'a new next key is published');
    });

    it('keeps verifying tickets of the old key after a rotation', async () => {
      const fx = await createTokenFixture();
      const old = await genuine(fx, 'ticket');
      await fx.signer.rotate();
      const fresh = await genuine(fx, 'ticket');
      assert.equal((await fx.signer.verifyTicket(old, { room: 'launch' })).seq, 7);
      assert.equal((await fx.signer.verifyTicket(fresh, { room: 'launch' })).seq, 7);
    });

    it('drops a key retired for longer than the longest ticket lifetime', async () => {
      const fx = await createTokenFixture();
      const old = await genuine(fx, 'ticket');
      await fx.signer.rotate();
      fx.clock.now += (LONGEST_TICKET_SECONDS + 10) * 1000;
      const kids = fx.signer.jwks().keys.map((k) => k.kid);
      assert.equal(kids.length, 2);
      assert.ok(!kids.includes(fx.kid));
      assert.ok(!fx.signer.exportKeys().some((k) => k.kid === fx.kid));
      const error = await refusal(fx.signer.verifyTicket(old, { room: 'launch' }));
      assert.equal(error.code, 'token_unknown_kid');
    });

    it('still holds a retired key one second before its retention ends', async () => {
      const fx = await createTokenFixture();
      await fx.signer.rotate();
      fx.clock.now += (LONGEST_TICKET_SECONDS + 9) * 1000;
      assert.ok(fx.signer.jwks().keys.some((k) => k.kid === fx.kid));
    });
  });

  it('hands out the same frozen key set until a rotation changes it', async () => {
    const fx = await createTokenFixture();
    const before = fx.signer.jwks();
    assert.equal(fx.signer.jwks(), before);
    assert.ok(Object.isFrozen(before) && Object.isFrozen(before.keys[0]));
    await fx.signer.rotate();
    assert.notEqual(fx.signer.jwks(), before);
    assert.equal(fx.signer.jwks().keys.length, 3);
  });

  describe('persistence', () => {
    it('verifies old tokens after exportKeys() is loaded into a new signer', async () => {
      const fx = await createTokenFixture();
      const old = await genuine(fx, 'ticket');
      await fx.signer.rotate();
      const recent = await genuine(fx, 'ticket');
      const reloaded = await createTokenSigner({
        issuer: fx.issuer,
        keys: JSON.parse(JSON.stringify(fx.signer.exportKeys())),
        now: () => fx.clock.now,
        ticketTtlSeconds: 3600,
      });
      assert.equal((await reloaded.verifyTicket(old, { room: 'launch' })).seq, 7);
      assert.equal((await reloaded.verifyTicket(recent, { room: 'launch' })).seq, 7);
      const next = await reloaded.signTicket({ sub: 'v2', room: 'launch', seq: 8 });
      assert.equal(decodeParts(next.token).header.kid, decodeParts(recent).header.kid);
      assert.deepEqual(reloaded.jwks(), fx.signer.jwks());
    });

    it('reloads its keys once for a flood of unknown kids, and then knows a new one', async () => {
      const fx = await createTokenFixture();
      await fx.signer.rotate();
      await fx.signer.rotate();
      // A process that last saw the keys two rotations ago meets a ticket signed with the newest.
      const newest = await genuine(fx, 'ticket');
      const shared = fx.signer.exportKeys();
      const stored = JSON.parse(JSON.stringify(shared)) as typeof shared;
      let reloads = 0;
      const behind = await createTokenSigner({
        issuer: fx.issuer,
        keys: (await createTokenSigner({ issuer: fx.issuer })).exportKeys(),
        now: () => fx.clock.now,
        reloadKeys: async () => {
          reloads += 1;
          await behind.replaceKeys(stored);
        },
      });
      const forged = Array.from({ length: 20 }, (_, i) => reKid(newest, `made-up-${i}`));
      for (const error of await Promise.all(
        forged.map((t) => refusal(behind.verifyTicket(t, { room: 'launch' }))),
      )) {
        assert.equal(error.code, 'token_unknown_kid');
      }
      assert.equal(reloads, 1, 'twenty made-up kids at once cost one reload');
      // Within the same second the reload is not asked again, even for a real new key…
      assert.equal(
        (await refusal(behind.verifyTicket(reKid(newest, 'another'), { room: 'launch' }))).code,
        'token_unknown_kid',
      );
      assert.equal(reloads, 1);
      // …and the keys it reloaded verify the newest ticket without another one.
      assert.equal((await behind.verifyTicket(newest, { room: 'launch' })).seq, 7);
      assert.equal(reloads, 1);
      assert.deepEqual(behind.exportKeys(), shared);
    });

    it('generates a current and a next key when none is stored, with their private halves', async () => {
      const signer = await createTokenSigner({ issuer: 'https://queue.test', keys: [] });
      const [stored, next] = signer.exportKeys();
      assert.equal(signer.exportKeys().length, 2);
      assert.equal(next!.next, true);
      assert.notEqual(next!.kid, stored!.kid);
      assert.equal(stored!.privateJwk.kty, 'OKP');
      assert.equal(stored!.privateJwk.crv, 'Ed25519');
      assert.equal(typeof stored!.privateJwk.d, 'string');
      assert.equal(stored!.retiredAt, undefined);
    });

    it('serves only public members in the JWKS, even from a tampered stored publicJwk', async () => {
      const fx = await createTokenFixture();
      const [stored] = fx.signer.exportKeys();
      const leaky = { ...stored!, publicJwk: { ...stored!.publicJwk, d: stored!.privateJwk.d } };
      const signer = await createTokenSigner({ issuer: fx.issuer, keys: [leaky] });
      const { keys } = signer.jwks();
      for (const jwk of keys) {
        assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      }
      assert.equal(keys[0]!.kid, fx.kid);
    });

    it('refuses to load a stored key whose kid does not match its key material', async () => {
      const fx = await createTokenFixture();
      const [stored] = fx.signer.exportKeys();
      await assert.rejects(
        createTokenSigner({ issuer: fx.issuer, keys: [{ ...stored!, kid: 'swapped' }] }),
        TypeError,
      );
    });
  });
});

/** `token` with its header's `kid` replaced (its signature no longer matters: the kid is looked up first). */
function reKid(token: string, kid: string): string {
  const [, payload, signature] = token.split('.');
  const header = { ...decodeParts(token).header, kid };
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
}
