/**
 * A site that signs its users in, as a real one would mint identity assertions (docs/identity.md):
 * its own key pair, `iss`/`aud`, short-lived JWTs for a user id. Also the malformed assertions
 * an attacker would try (other keys, HS256, `alg: none`, long lifetimes).
 */
import { SignJWT, base64url, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';

export const SITE_ISSUER = 'https://shop.example';
export const SITE_AUDIENCE = 'queue-gate';

/** What an assertion says and how it is signed; every field has an honest default. */
export interface AssertionOptions {
  sub?: string | null;
  iss?: string;
  aud?: string | null;
  /** Lifetime in seconds (exp - iat); default 300. */
  lifetimeSec?: number;
  /** `iat` as epoch seconds (default: the site's clock). */
  iat?: number | null;
  alg?: string;
  kid?: string;
  /** Extra claims (e.g. a large one). */
  extra?: Record<string, unknown>;
  /** Sign with this key instead of the site's (a forger's). */
  key?: CryptoKey;
}

export interface IdentitySite {
  /** The room setting: `{ issuer, audience, jwks }` with the site's public key. */
  identity: { issuer: string; audience: string; jwks: { keys: JWK[] } };
  /** An assertion for `options.sub` (default `user-a`), signed as options say. */
  assert(options?: AssertionOptions): Promise<string>;
  /** An HS256 assertion (a shared secret the queue server must never accept). */
  assertHs256(sub: string): Promise<string>;
  /** An unsigned `alg: none` assertion. */
  assertNone(sub: string): string;
}

/** A site with an ES256 key pair, on `now` (epoch ms). */
export async function createIdentitySite(now: () => number): Promise<IdentitySite> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'site-1', alg: 'ES256', use: 'sig' };
  const nowSec = () => Math.floor(now() / 1000);
  const claims = (options: AssertionOptions) => {
    const iat = options.iat === undefined ? nowSec() : options.iat;
    const exp = (iat ?? nowSec()) + (options.lifetimeSec ?? 300);
    return {
      ...(options.sub === null ? {} : { sub: options.sub ?? 'user-a' }),
      iss: options.iss ?? SITE_ISSUER,
      ...(options.aud === null ? {} : { aud: options.aud ?? SITE_AUDIENCE }),
      ...(iat === null ? {} : { iat }),
      exp,
      ...options.extra,
    };
  };
  return {
    identity: { issuer: SITE_ISSUER, audience: SITE_AUDIENCE, jwks: { keys: [jwk] } },
    assert: (options = {}) =>
      new SignJWT(claims(options))
        .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? 'site-1' })
        .sign(options.key ?? privateKey),
    assertHs256: (sub) =>
      new SignJWT(claims({ sub }))
        .setProtectedHeader({ alg: 'HS256', kid: 'site-1' })
        .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!')),
    assertNone: (sub) => {
      const part = (value: unknown) => base64url.encode(JSON.stringify(value));
      return `${part({ alg: 'none', kid: 'site-1' })}.${part(claims({ sub }))}.`;
    },
  };
}

/** A forger's key: same algorithm, not the site's. */
export async function forgerKey(): Promise<CryptoKey> {
  return (await generateKeyPair('ES256')).privateKey;
}
