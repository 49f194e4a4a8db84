/**
 * The server's Ed25519 signing keys: one current key that signs, one next key that is
 * published ahead of use, and retired keys that keep verifying until everything they signed
 * has expired, then are forgotten.
 *
 * Why publish the next key early: booking backends cache the JWKS (and refetch it at most
 * every so often), so a key that appeared only at rotation time would get fresh admissions
 * refused until their caches caught up. A pre-published key is already in every cache that
 * was filled since the previous rotation.
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
  /** When the key stopped signing, in epoch milliseconds; absent on the current and next keys. */
  retiredAt?: number;
  /** Published for verification but not signing yet: the key the next rotation switches to. */
  next?: boolean;
}

/** Options of {@link createKeyring}. */
export interface KeyringOptions {
  /** Persisted keys to load; missing current or next keys are generated. */
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
  /**
   * Public JWKs of every published key: current, next, then retired ones still verifying.
   * Frozen, and the same array until the published keys change.
   */
  publicJwks(): JWK[];
  /** Makes the next key current, retires the previous one and prepares a new next key. */
  rotate(): Promise<void>;
  /** Every published key, private halves included, for persistence. */
  export(): StoredSigningKey[];
}

interface LoadedKey {
  stored: StoredSigningKey;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * Loads persisted keys (generating what is missing) and keeps them pruned.
 *
 * @example
 * ```ts
 * const keyring = await createKeyring({ keys: saved, now: Date.now, retainMs: 86_400_000 });
 * const { kid, privateKey } = keyring.current();
 * ```
 */
export async function createKeyring(options: KeyringOptions): Promise<Keyring> {
  const { now, retainMs } = options;
  const loaded: LoadedKey[] = [];
  for (const stored of options.keys ?? []) {
    if (loaded.some((k) => k.stored.kid === stored.kid)) continue;
    loaded.push(await loadKey(stored));
  }
  loaded.sort((a, b) => b.stored.createdAt - a.stored.createdAt);
  const loadTime = now();

  const storedNext = loaded.find((k) => k.stored.next === true && k.stored.retiredAt === undefined);
  const storedCurrent = loaded.find(
    (k) => k.stored.next !== true && k.stored.retiredAt === undefined,
  );
  let current: LoadedKey;
  let next: LoadedKey;
  if (storedCurrent !== undefined) {
    current = storedCurrent;
    next = storedNext ?? (await generateKey(loadTime, true));
  } else {
    current = storedNext !== undefined ? activate(storedNext) : await generateKey(loadTime, false);
    next = await generateKey(loadTime, true);
  }
  // Any other unretired key (a file written by two processes, say) is retired now, so that it
  // still verifies what it signed but never signs again.
  let retired = loaded
    .filter((k) => k.stored.kid !== current.stored.kid && k.stored.kid !== next.stored.kid)
    .map((k) => retire(k, loadTime));

  // The same frozen JWKs are handed out until the published keys change, so that verifiers
  // that cache per key set object (`verifyAdmission({ jwks })`) import each key only once.
  let jwksCache: JWK[] | undefined;
  const prune = (): void => {
    const time = now();
    const kept = retired.filter((k) => time - k.stored.retiredAt! < retainMs);
    if (kept.length !== retired.length) jwksCache = undefined;
    retired = kept;
  };
  const published = (): LoadedKey[] => {
    prune();
    return [current, next, ...retired];
  };

  return {
    current() {
      return { kid: current.stored.kid, privateKey: current.privateKey };
    },
    verificationKey(kid) {
      return published().find((k) => k.stored.kid === kid)?.publicKey;
    },
    publicJwks() {
      const keys = published();
      jwksCache ??= Object.freeze(
        keys.map((k) => Object.freeze({ ...k.stored.publicJwk })),
      ) as JWK[];
      return jwksCache;
    },
    async rotate() {
      const time = now();
      const fresh = await generateKey(time, true);
      retired = [retire(current, time), ...retired];
      current = activate(next);
      next = fresh;
      jwksCache = undefined;
      prune();
    },
    export() {
      return published().map((k) => structuredClone(k.stored));
    },
  };
}

function retire(key: LoadedKey, time: number): LoadedKey {
  const { next: _next, ...stored } = key.stored;
  return { ...key, stored: { ...stored, retiredAt: stored.retiredAt ?? time } };
}

function activate(key: LoadedKey): LoadedKey {
  const { next: _next, ...stored } = key.stored;
  return { ...key, stored };
}

async function generateKey(createdAt: number, next: boolean): Promise<LoadedKey> {
  const pair = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  const publicJwk = await publicJwkOf(privateJwk);
  const kid = publicJwk.kid!;
  const stored: StoredSigningKey = {
    kid,
    privateJwk: { ...privateJwk, kid },
    publicJwk,
    createdAt,
  };
  if (next) stored.next = true;
  return { stored, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

async function loadKey(stored: StoredSigningKey): Promise<LoadedKey> {
  const { privateJwk } = stored;
  if (
    privateJwk?.kty !== 'OKP' ||
    privateJwk.crv !== 'Ed25519' ||
    typeof privateJwk.d !== 'string' ||
    typeof privateJwk.x !== 'string'
  ) {
    throw new TypeError(`Stored signing key ${stored.kid} is not an Ed25519 private key.`);
  }
  // The served public key is rebuilt from the private one rather than trusted from storage,
  // so a corrupted file can neither publish a private member nor a key that does not match.
  const publicJwk = await publicJwkOf(privateJwk);
  if (publicJwk.kid !== stored.kid || stored.publicJwk?.x !== privateJwk.x) {
    throw new TypeError(`Stored signing key ${stored.kid} does not match its key material.`);
  }
  const privateKey = (await importJWK(privateJwk, TOKEN_ALGORITHM)) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, TOKEN_ALGORITHM)) as CryptoKey;
  return { stored: { ...structuredClone(stored), publicJwk }, privateKey, publicKey };
}

async function publicJwkOf(privateJwk: JWK): Promise<JWK> {
  const bare: JWK = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x! };
  const kid = await calculateJwkThumbprint(bare, 'sha256');
  return { ...bare, kid, alg: TOKEN_ALGORITHM, use: 'sig' };
}
