/**
 * The `identity` and `identityRequired` room settings: what an admin may send, checked with
 * readable 400s, and the room's hash key, made once and kept.
 *
 * Why only public asymmetric keys, inline: the queue server must be able to check a site's
 * assertions without holding anything that could mint them (a leaked room configuration then
 * signs nobody in), and without fetching keys while a crowd is joining.
 */
import { base64url, importJWK } from 'jose';
import type { JWK } from 'jose';
import { hashKeyBytes } from '../../verify/identity-hash.js';
import { ApiError } from '../api-error.js';
import { IDENTITY_ALGORITHMS } from './identity-algorithms.js';

/** A room's identity settings as stored (see docs/identity.md). */
export interface RoomIdentity {
  /** `iss` every identity assertion must carry: the site that signs its users in. */
  issuer: string;
  /** `aud` every identity assertion must carry, when set. */
  audience?: string;
  /** The site's public keys (1 to {@link MAX_IDENTITY_KEYS}). */
  jwks: { keys: JWK[] };
  /**
   * base64url of 32 random bytes: the key of the room's identity hash (`idh`). Made by the
   * server when not given, and kept; changing it unbinds every place of the room.
   */
  hashKey: string;
}

/** The identity settings as an admin sends them: the hash key may be left to the server. */
export type RoomIdentityInput = Omit<RoomIdentity, 'hashKey'> & { hashKey?: string };

/** Most keys a room's identity key set may hold (a site rotating keys needs two or three). */
export const MAX_IDENTITY_KEYS = 16;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const FIELDS = ['issuer', 'audience', 'jwks', 'hashKey'];

const invalid = (message: string): ApiError => new ApiError(400, 'invalid_body', message);

function shortString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    throw invalid(`identity.${name} must be a non-empty string of at most 256 characters.`);
  }
  return value;
}

/** The algorithm a key verifies with, for a test import; refuses what assertions cannot use. */
function algorithmOf(key: Record<string, unknown>): string {
  const stated = key['alg'];
  if (stated !== undefined) {
    if (typeof stated !== 'string' || !IDENTITY_ALGORITHMS.includes(stated)) {
      throw invalid(`identity.jwks: a key's alg must be one of ${IDENTITY_ALGORITHMS.join(', ')}.`);
    }
    return stated;
  }
  if (key['kty'] === 'RSA') return 'RS256';
  if (key['kty'] === 'EC' && key['crv'] === 'P-256') return 'ES256';
  if (key['kty'] === 'EC' && key['crv'] === 'P-384') return 'ES384';
  if (key['kty'] === 'OKP' && key['crv'] === 'Ed25519') return 'EdDSA';
  throw invalid(
    'identity.jwks: each key must be RSA, EC P-256/P-384 or OKP Ed25519 (public keys only).',
  );
}

const B64URL = /^[A-Za-z0-9_-]+$/;
/** Shortest RSA modulus accepted, in base64url characters (2048 bits, as jose requires). */
const MIN_RSA_MODULUS_CHARS = 342;

/** Whether the members that make the public key are there and look like base64url. */
function hasPublicMembers(key: Record<string, unknown>): boolean {
  const b64 = (name: string) => typeof key[name] === 'string' && B64URL.test(key[name] as string);
  if (key['kty'] === 'RSA') {
    return b64('n') && b64('e') && (key['n'] as string).length >= MIN_RSA_MODULUS_CHARS;
  }
  if (key['kty'] === 'EC') return b64('x') && b64('y');
  return b64('x');
}

function publicKey(value: unknown): JWK {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('identity.jwks.keys must hold JWK objects.');
  }
  const key = value as Record<string, unknown>;
  if (key['kty'] === 'oct') {
    throw invalid(
      'identity.jwks: symmetric keys (kty "oct") are refused; give the public key of an asymmetric pair.',
    );
  }
  if (PRIVATE_MEMBERS.some((member) => member in key)) {
    throw invalid('identity.jwks: a key holds private members; give public keys only.');
  }
  if (key['use'] !== undefined && key['use'] !== 'sig') {
    throw invalid('identity.jwks: a key\'s "use" must be "sig" when given.');
  }
  if (key['kid'] !== undefined && (typeof key['kid'] !== 'string' || key['kid'].length > 256)) {
    throw invalid('identity.jwks: a key\'s "kid" must be a short string when given.');
  }
  algorithmOf(key);
  if (!hasPublicMembers(key)) {
    throw invalid(
      'identity.jwks: a key lacks its public members (RSA keys need n of 2048 bits or more, and e).',
    );
  }
  return key as JWK;
}

function parseJwks(value: unknown): { keys: JWK[] } {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== 'object' || !Array.isArray(keys)) {
    throw invalid('identity.jwks must be a JWK Set: { "keys": [ ...public keys ] }.');
  }
  if (keys.length === 0 || keys.length > MAX_IDENTITY_KEYS) {
    throw invalid(`identity.jwks must hold 1 to ${MAX_IDENTITY_KEYS} keys.`);
  }
  return { keys: keys.map(publicKey) };
}

/**
 * Imports every key of `identity` once, as the verification of an assertion will: a key that
 * only looks right is refused when the admin sets it, not on a visitor's join.
 *
 * @throws ApiError `invalid_body` (400) when a key cannot be imported
 */
export async function checkIdentityKeys(identity: RoomIdentityInput | null | undefined) {
  for (const key of identity?.jwks.keys ?? []) {
    try {
      await importJWK(key, algorithmOf(key as Record<string, unknown>));
    } catch {
      throw invalid('identity.jwks: a key cannot be read as a public key for its algorithm.');
    }
  }
}

/**
 * Checks the `identity` setting: null (no identity) or issuer, audience, jwks and hashKey.
 *
 * @throws ApiError `invalid_body` (400) saying what is wrong
 */
export function parseRoomIdentity(value: unknown): RoomIdentityInput | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('identity must be an object { issuer, audience?, jwks, hashKey? }, or null.');
  }
  const input = value as Record<string, unknown>;
  if (Object.keys(input).some((key) => !FIELDS.includes(key))) {
    throw invalid(`Unknown identity setting; the settings are ${FIELDS.join(', ')}.`);
  }
  const parsed: RoomIdentityInput = {
    issuer: shortString(input['issuer'], 'issuer'),
    jwks: parseJwks(input['jwks']),
  };
  if (input['audience'] !== undefined) parsed.audience = shortString(input['audience'], 'audience');
  if (input['hashKey'] !== undefined) {
    if (hashKeyBytes(input['hashKey']) === null) {
      throw invalid('identity.hashKey must be base64url of at least 32 random bytes.');
    }
    parsed.hashKey = input['hashKey'] as string;
  }
  return parsed;
}

/** A new hash key: 32 random bytes, base64url. */
export function newHashKey(): string {
  return base64url.encode(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The identity a room gets from a PUT: the hash key given, else the one it had (a room keeps
 * its key across changes of issuer or keys, so its places stay bound), else a new one.
 */
export function settleRoomIdentity(
  input: RoomIdentityInput | null,
  existing: RoomIdentity | null | undefined,
): RoomIdentity | null {
  if (input === null) return null;
  return { ...input, hashKey: input.hashKey ?? existing?.hashKey ?? newHashKey() };
}
