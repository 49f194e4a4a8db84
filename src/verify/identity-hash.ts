/**
 * The identity hash (`idh`): how a queue-gate room names a person without knowing them.
 *
 * Why a keyed hash: a ticket and an admission live in the visitor's browser and pass through
 * the booking site, so they must not carry the site's user id. An HMAC under a key of the room
 * (`hashKey`, random, known to the queue server and the booking backend only) names the same
 * person the same way in that room, and in no other: two rooms have two keys, so their hashes
 * of one person cannot be linked, and nobody without the key can test a guessed user id.
 *
 * The queue server and the booking-side verifier both use this one function, so they cannot
 * compute it differently. Web Crypto only: it runs in Node, browsers and edge runtimes.
 */
import { base64url } from 'jose';

/** What the identity hash is computed from. */
export interface IdentityHashInput {
  /** The room's hash key: base64url of (at least) 32 random bytes, from the room's settings. */
  hashKey: string;
  /** `iss` of the identity assertions: the site that signs its users in. */
  issuer: string;
  /** `sub` of the identity assertions: the site's id of its user. */
  sub: string;
}

/** Fewest bytes a hash key holds: the HMAC-SHA256 key length that gives its full strength. */
export const MIN_HASH_KEY_BYTES = 32;

const importedKeys = new Map<string, Promise<CryptoKey>>();
/** Hash keys kept imported; a server has one per room with identity, a booking backend few. */
const MAX_IMPORTED_KEYS = 1000;

/** The bytes of a hash key, or null when it is not base64url of at least 32 bytes. */
export function hashKeyBytes(hashKey: unknown): Uint8Array | null {
  if (typeof hashKey !== 'string' || !/^[A-Za-z0-9_-]+$/.test(hashKey)) return null;
  try {
    const bytes = base64url.decode(hashKey);
    return bytes.byteLength >= MIN_HASH_KEY_BYTES && base64url.encode(bytes) === hashKey
      ? bytes
      : null;
  } catch {
    return null;
  }
}

function hmacKey(hashKey: string): Promise<CryptoKey> {
  let key = importedKeys.get(hashKey);
  if (key === undefined) {
    const bytes = hashKeyBytes(hashKey);
    if (bytes === null) {
      throw new TypeError('identityHash: hashKey must be base64url of at least 32 bytes.');
    }
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.clear();
    key = globalThis.crypto.subtle.importKey(
      'raw',
      bytes as Uint8Array<ArrayBuffer>,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    importedKeys.set(hashKey, key);
  }
  return key;
}

/**
 * The room's keyed hash of a person: `base64url(HMAC-SHA256(hashKey, issuer + "\n" + sub))`,
 * 43 characters. Tickets and admissions of a place bound to that person carry it as `idh`.
 *
 * @throws TypeError when `hashKey` is not base64url of at least 32 bytes, or `issuer`/`sub`
 *   is empty
 *
 * @example
 * ```ts
 * const idh = await identityHash({ hashKey: room.identity.hashKey, issuer, sub: user.id });
 * ```
 */
export async function identityHash({ hashKey, issuer, sub }: IdentityHashInput): Promise<string> {
  if (typeof issuer !== 'string' || issuer === '' || typeof sub !== 'string' || sub === '') {
    throw new TypeError('identityHash: issuer and sub must be non-empty strings.');
  }
  const mac = await globalThis.crypto.subtle.sign(
    'HMAC',
    await hmacKey(hashKey),
    new TextEncoder().encode(`${issuer}\n${sub}`),
  );
  return base64url.encode(new Uint8Array(mac));
}
