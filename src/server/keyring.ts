/**
 * The server's Ed25519 signing keys: one current key that signs, plus retired keys that keep
 * verifying until everything they signed has expired, then are forgotten.
 *
 * Keys are identified by their RFC 7638 thumbprint, so a `kid` is stable across restarts and
 * processes and two different keys can never share one.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { TOKEN_ALGORITHM } from '../verify/verify-signed-token.js';

/** A signing key as persisted (holds the private key: store it like a password). */
export interface StoredSigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  /** When the key was made, in epoch milliseconds. */
  createdAt: number;
  /** When the key stopped signing, in epoch milliseconds; absent on the current key. */
  retiredAt?: number;
}

/** Options of {@link createKeyring}. */
export interface KeyringOptions {
  /** Persisted keys to load; when none is current, a new current key is generated. */
  keys?: StoredSigningKey[];
  /** Clock, in epoch milliseconds. */
  now: () => number;
  /** How long a retired key keeps verifying, in milliseconds (the longest token lifetime). */
  retainMs: number;
}

/** The current key, ready to sign. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** Loaded signing keys; see {@link createKeyring}. */
export interface Keyring {
  /** The key that signs now. */
  current(): SigningKey;
  /** The public key for `kid`, if that key still verifies. */
  verificationKey(kid: string): CryptoKey | undefined;
  /** Public JWKs of every key that still verifies, current first. */
  publicJwks(): JWK[];
  /** Makes a new current key and retires the previous one. */
  rotate(): Promise<void>;
  /** Every key that still verifies, private halves included, for persistence. */
  export(): StoredSigningKey[];
}

interface LoadedKey {
  stored: StoredSigningKey;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * Loads persisted keys (or generates the first one) and keeps them pruned.
 *
 * @example
 * ```ts
 * const keyring = await createKeyring({ keys: saved, now: Date.now, retainMs: 86_400_000 });
 * const { kid, privateKey } = keyring.current();
 * ```
 */
export async function createKeyring(options: KeyringOptions): Promise<Keyring> {
  const { now, retainMs } = options;
  let keys: LoadedKey[] = [];
  for (const stored of options.keys ?? []) {
    if (keys.some((k) => k.stored.kid === stored.kid)) continue;
    keys.push(await loadKey(stored));
  }
  keys.sort((a, b) => b.stored.createdAt - a.stored.createdAt);
  // Only the newest unretired key signs; any other unretired one (a file written by two
  // processes, say) is retired now so that it still verifies what it signed.
  const loadTime = now();
  let currentSeen = false;
  for (const key of keys) {
    if (key.stored.retiredAt !== undefined) continue;
    if (currentSeen) key.stored = { ...key.stored, retiredAt: loadTime };
    currentSeen = true;
  }
  if (!currentSeen) keys.unshift(await generateKey(loadTime));

  const live = (): LoadedKey[] => {
    const time = now();
    keys = keys.filter(
      (k) => k.stored.retiredAt === undefined || time - k.stored.retiredAt < retainMs,
    );
    return keys;
  };

  return {
    current() {
      const key = keys[0]!;
      return { kid: key.stored.kid, privateKey: key.privateKey };
    },
    verificationKey(kid) {
      return live().find((k) => k.stored.kid === kid)?.publicKey;
    },
    publicJwks() {
      return live().map((k) => ({ ...k.stored.publicJwk }));
    },
    async rotate() {
      const time = now();
      const fresh = await generateKey(time);
      keys = [fresh, ...keys.map((k) => retire(k, time))];
      live();
    },
    export() {
      return live().map((k) => structuredClone(k.stored));
    },
  };
}

function retire(key: LoadedKey, time: number): LoadedKey {
  if (key.stored.retiredAt !== undefined) return key;
  return { ...key, stored: { ...key.stored, retiredAt: time } };
}

async function generateKey(createdAt: number): Promise<LoadedKey> {
  const pair = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = await publicJwkOf(privateJwk);
  return {
    stored: {
      kid: publicJwk.kid!,
      privateJwk: { ...privateJwk, kid: publicJwk.kid! },
      publicJwk,
      createdAt,
    },
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
  };
}

async function loadKey(stored: StoredSigningKey): Promise<LoadedKey> {
  const { privateJwk } = stored;
  if (
    privateJwk.kty !== 'OKP' ||
    privateJwk.crv !== 'Ed25519' ||
    typeof privateJwk.d !== 'string'
  ) {
    throw new TypeError(`Stored signing key ${stored.kid} is not an Ed25519 private key.`);
  }
  // The served public key is rebuilt from the private one rather than trusted from storage,
  // so a corrupted file can neither publish a private member nor a key that does not match.
  const publicJwk = await publicJwkOf(privateJwk);
  if (publicJwk.kid !== stored.kid || stored.publicJwk?.x !== privateJwk.x) {
    throw new TypeError(`Stored signing key ${stored.kid} does not match its key material.`);
  }
  const privateKey = (await importJWK(
    { ...privateJwk, kid: stored.kid },
    TOKEN_ALGORITHM,
  )) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, TOKEN_ALGORITHM)) as CryptoKey;
  return { stored: { ...structuredClone(stored), publicJwk }, privateKey, publicKey };
}

async function publicJwkOf(privateJwk: JWK): Promise<JWK> {
  const bare: JWK = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x! };
  const kid = await calculateJwkThumbprint(bare, 'sha256');
  return { ...bare, kid, alg: TOKEN_ALGORITHM, use: 'sig' };
}
