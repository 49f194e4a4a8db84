/**
 * Node-only: the token signer of a server whose keys live in the store, so every process
 * sharing the store signs with the same keys.
 */
import type { QueueStore } from './store/queue-store.js';
import { createTokenSigner } from './token-signer.js';
import type { TokenSigner } from './token-signer.js';

/** A signer and a way to save its keys after it rotates them. */
export interface StoredSigner {
  signer: TokenSigner;
  /** Saves the signer's keys when they differ from the last saved. */
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
): Promise<StoredSigner> {
  let savedKeys = await store.loadSigningKeys();
  if (savedKeys.length === 0) {
    // Processes starting together each make keys; the first saved wins and all sign with it.
    const fresh = await createTokenSigner({ issuer, now });
    savedKeys = await store.initSigningKeys(fresh.exportKeys());
  }
  const signer = await createTokenSigner({ issuer, keys: savedKeys, now });
  let savedKeysJson = JSON.stringify(savedKeys);
  const saveKeysIfChanged = async () => {
    const keys = signer.exportKeys();
    const json = JSON.stringify(keys);
    if (json !== savedKeysJson) {
      await store.saveSigningKeys(keys);
      savedKeysJson = json;
    }
  };
  await saveKeysIfChanged();
  return { signer, saveKeysIfChanged };
}
