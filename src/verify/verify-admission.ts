/**
 * Verifies an admission token on the booking backend: the last gate a visitor passes, and
 * the only one that counts, since everything in the browser can be forged.
 */
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWTVerifyGetKey, KeyObject } from 'jose';
import type { AdmissionClaims } from '../protocol.js';
import { AdmissionError, TokenError } from './errors.js';
import { identityHash } from './identity-hash.js';
import { rememberVerifiedTolerance } from './verified-tolerance.js';
import { DEFAULT_CLOCK_TOLERANCE_SEC, verifySignedToken } from './verify-signed-token.js';
import type { TokenKey } from './verify-signed-token.js';

/** Where the queue server's public keys come from: give exactly one of `jwks`, `key`, `jwksUrl`. */
export interface VerifyAdmissionOptions {
  /** The queue server's key set, as served at `/.well-known/jwks.json`. */
  jwks?: { keys: JWK[] };
  /** One public key (a `CryptoKey`, a Node `KeyObject` or a public JWK). */
  key?: CryptoKey | KeyObject | JWK;
  /** URL of the queue server's JWKS; fetched on first use, cached, refetched for a new `kid`. */
  jwksUrl?: string | URL;
  /** The room the admission must be for. */
  room: string;
  /** This booking site, as configured as the room's audience on the queue server. */
  audience: string;
  /** The queue server's issuer (its public origin). Strongly recommended. */
  issuer?: string;
  /** Allowance for clock differences with the queue server, in seconds (default 10). */
  clockToleranceSec?: number;
  /** Clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /**
   * The cohort the admission must carry (e.g. the birth-date digit the booking form was
   * filled for); refused with `token_wrong_cohort` otherwise, also when it carries none.
   */
  cohort?: string;
  /**
   * The person the booking backend expects: the admission must be of a place bound to them
   * (its `idh` equals `identityHash(identity)`), else it is refused with
   * `token_wrong_identity`, also when the place was bound to nobody. `hashKey` is the room's
   * (the admin API shows it), `issuer` and `sub` those of the site's identity assertions.
   */
  identity?: AdmissionIdentity;
}

/** Who an admission must belong to (see {@link VerifyAdmissionOptions.identity}). */
export interface AdmissionIdentity {
  /** The site's id of the signed-in user (the `sub` of its identity assertions). */
  sub: string;
  /** The `iss` of the site's identity assertions, as configured in the room. */
  issuer: string;
  /** The room's `identity.hashKey`. */
  hashKey: string;
}

const localSets = new WeakMap<object, JWTVerifyGetKey>();
const remoteSets = new Map<string, JWTVerifyGetKey>();

/**
 * Verifies an admission: signature (EdDSA only), type, issuer, audience, room, lifetime and
 * every claim. It does not mark the admission used: call {@link consumeAdmission} for that.
 *
 * @throws {AdmissionError} with status 401 and a token code for any refusal, or status 503
 *   (`internal`) when the key set cannot be fetched
 *
 * @example
 * ```ts
 * const claims = await verifyAdmission(token, {
 *   jwksUrl: 'https://queue.example.com/.well-known/jwks.json',
 *   issuer: 'https://queue.example.com',
 *   audience: 'https://tickets.example.com',
 *   room: 'launch',
 * });
 * ```
 */
export async function verifyAdmission(
  token: string | null | undefined,
  options: VerifyAdmissionOptions,
): Promise<AdmissionClaims> {
  const key = keyFor(options);
  if (typeof options.room !== 'string' || options.room === '') {
    throw new TypeError('verifyAdmission: room is required.');
  }
  if (typeof options.audience !== 'string' || options.audience === '') {
    throw new TypeError('verifyAdmission: audience is required.');
  }
  if (
    options.cohort !== undefined &&
    (typeof options.cohort !== 'string' || options.cohort === '')
  ) {
    throw new TypeError('verifyAdmission: cohort must be a non-empty string when given.');
  }
  // Computed before the token is looked at, so a wrong key is the caller's error at once.
  const expectedIdh = options.identity ? await identityHash(options.identity) : undefined;
  let claims: AdmissionClaims;
  try {
    claims = (await verifySignedToken(token, 'admission', key, {
      room: options.room,
      audience: options.audience,
      issuer: options.issuer,
      clockToleranceSec: options.clockToleranceSec,
      now: options.now,
    })) as AdmissionClaims;
  } catch (error) {
    if (error instanceof TokenError) throw new AdmissionError(error.code);
    // Not the token's fault (the JWKS endpoint is down or serves garbage): answer 503 so the
    // visitor retries instead of being told their admission is bad.
    throw Object.assign(new AdmissionError('internal'), { cause: error });
  }
  // Checked after the signature, so a forged token is refused as forged, not as misfiled.
  if (options.cohort !== undefined && claims.cohort !== options.cohort) {
    throw new AdmissionError('token_wrong_cohort');
  }
  if (expectedIdh !== undefined && claims.idh !== expectedIdh) {
    throw new AdmissionError('token_wrong_identity');
  }
  // consumeAdmission must remember the place as long as this allowance accepts its admissions.
  rememberVerifiedTolerance(claims, options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC);
  return claims;
}

function keyFor(options: VerifyAdmissionOptions): TokenKey {
  const given = [options.jwks, options.key, options.jwksUrl].filter((k) => k !== undefined);
  if (given.length !== 1) {
    throw new TypeError('verifyAdmission: give exactly one of jwks, key or jwksUrl.');
  }
  if (options.key !== undefined) return options.key;
  if (options.jwks !== undefined) {
    const jwks = options.jwks;
    let set = localSets.get(jwks);
    if (set === undefined) {
      set = requireKid(createLocalJWKSet(jwks as JSONWebKeySet));
      localSets.set(jwks, set);
    }
    return set;
  }
  const url = new URL(options.jwksUrl!);
  let set = remoteSets.get(url.href);
  if (set === undefined) {
    set = requireKid(createRemoteJWKSet(url));
    remoteSets.set(url.href, set);
  }
  return set;
}

// Tokens from a key set must name their key: without a `kid` every key would be a candidate,
// and a token could never be tied to the key that is meant to verify it.
function requireKid(set: JWTVerifyGetKey): JWTVerifyGetKey {
  return (header, token) => {
    if (typeof header.kid !== 'string' || header.kid === '') {
      throw new TokenError('token_unknown_kid');
    }
    return set(header, token);
  };
}
