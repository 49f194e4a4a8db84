/**
 * Node-only: the token signer of a server whose keys live in the store, so every process
 * sharing the store signs with the same keys.
 */
import { keyRotationFor } from './keys/key-rotation.js';
import type { KeyRotationOptions } from './keys/key-rotation.js';
import type { QueueStore } from './store/queue-store.js';
import { createTokenSigner } from './token-signer.js';
import type { TokenSigner } from './token-signer.js';

/** A signer and a way to keep its keys in step with the store. */
export interface StoredSigner {
  signer: TokenSigner;
  /**
   * Keeps the keys in step with the store: adopts a rotation made by another process, rotates
   * when the schedule says so, saves what changed (see `keys/key-rotation.ts`).
   */
  saveKeysIfChanged(): Promise<void>;
}

/**
 * Loads the keys from the store, or makes and saves them when there are none.
 *
 * @example
 * ```ts
 * const { signer, saveKeysIfChanged } = await loadStoredSigner(store, 'https://queue.example', Date.now);
 * ```
 */
export async function loadStoredSigner(
  store: QueueStore,
  issuer: string,
  now: () => number,
  rotation: KeyRotationOptions = {},
): Promise<StoredSigner> {
  let savedKeys = await store.loadSigningKeys();
  if (savedKeys.length === 0) {
    // Processes starting together each make keys; the first saved wins and all sign with it.
    const fresh = await createTokenSigner({ issuer, now });
    savedKeys = await store.initSigningKeys(fresh.exportKeys());
  }
  // A ticket may name a key another process made current since this one last synced.
  let adopt = async (): Promise<void> => {};
  const reloadKeys = () => adopt();
  const signer = await createTokenSigner({ issuer, keys: savedKeys, now, reloadKeys });
  const keyRotation = keyRotationFor(store, signer, now, rotation);
  adopt = keyRotation.adopt;
  const { sync } = keyRotation;
  await sync();
  return { signer, saveKeysIfChanged: sync };
}
