/**
 * Key rotation through the store: the stored key set is the truth every process shares, and
 * each change to it (a rotation, adopting another process's rotation, forgetting expired keys)
 * happens under the store's `signing-keys` lease, so two processes can never rotate from the
 * same keys at once (one would undo the other's). Processes that did not rotate pick the new
 * keys up at their next {@link KeyRotation.sync}; until then they sign with the key just
 * retired, which every process keeps verifying, and publish the new current key, which they
 * published already as the next one.
 */
import type { Lease } from '../lease.js';
import type { QueueStore } from '../store/queue-store.js';
import type { PublishedKeys, StoredSigningKey, TokenSigner } from '../token-signer.js';

/** Options of {@link keyRotationFor}. */
export interface KeyRotationOptions {
  /**
   * Rotate on {@link KeyRotation.sync} once the next key has been published this long, ms
   * (default: never by itself). Measured from the next key's creation, so every rotation
   * switches to a key that verifiers' caches have had for the whole interval.
   */
  rotateEveryMs?: number;
}

/** Rotates and shares the signer's keys; see {@link keyRotationFor}. */
export interface KeyRotation {
  /** Makes the published next key current and publishes a new next key, for every process. */
  rotate(): Promise<PublishedKeys>;
  /**
   * Adopts keys another process rotated, rotates when the schedule says so and saves what
   * changed (expired keys dropped). Run it every few seconds.
   */
  sync(): Promise<void>;
  /**
   * Adopts the stored keys if another process changed them, without the lease or saving
   * anything: for a ticket signed by a key this process has not seen yet.
   */
  adopt(): Promise<void>;
}

/** How long one process may hold the key lease (it holds it for a store round trip or two). */
const LEASE_TTL_MS = 10_000;
/** How long a rotation waits for another process's change to the keys to finish. */
const LEASE_WAIT_MS = 15_000;
const LEASE_RETRY_MS = 50;

const rotations = new WeakMap<TokenSigner, KeyRotation>();

/**
 * The key rotation of `signer` over `store`: one per signer, so the admin route and the
 * server's loop share what they know of the stored keys. Options apply when it is first made.
 *
 * @example
 * ```ts
 * const rotation = keyRotationFor(store, signer, Date.now, { rotateEveryMs: 30 * 86_400_000 });
 * const { current } = await rotation.rotate();
 * ```
 */
export function keyRotationFor(
  store: Pick<QueueStore, 'loadSigningKeys' | 'saveSigningKeys' | 'lease'>,
  signer: TokenSigner,
  now: () => number,
  options: KeyRotationOptions = {},
): KeyRotation {
  const known = rotations.get(signer);
  if (known) return known;
  const lease = store.lease('signing-keys', { ttlMs: LEASE_TTL_MS });
  // The keys as this process last read or wrote them in the store.
  let seen = JSON.stringify(signer.exportKeys());

  // One change at a time in this process too (the embedded store's lease always holds).
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => {});
    return run;
  };

  const underLease = <T>(job: () => Promise<T>): Promise<T> => serially(() => changeKeys(job));
  const adoptStored = async (): Promise<void> => {
    const stored = await store.loadSigningKeys();
    const storedJson = JSON.stringify(stored);
    if (stored.length > 0 && storedJson !== seen) await signer.replaceKeys(stored);
    seen = storedJson;
  };
  const changeKeys = async <T>(job: () => Promise<T>): Promise<T> => {
    await acquire(lease);
    try {
      await adoptStored();
      const result = await job();
      const keys = signer.exportKeys();
      const json = JSON.stringify(keys);
      if (json !== seen) {
        await store.saveSigningKeys(keys);
        seen = json;
      }
      return result;
    } finally {
      await lease.release();
    }
  };

  const rotation: KeyRotation = {
    rotate: () =>
      underLease(async () => {
        await signer.rotate();
        return signer.jwks();
      }),
    sync: () =>
      underLease(async () => {
        const every = options.rotateEveryMs;
        if (every !== undefined && every > 0 && rotationDue(signer.exportKeys(), now(), every)) {
          await signer.rotate();
        }
      }),
    adopt: () => serially(adoptStored),
  };
  rotations.set(signer, rotation);
  return rotation;
}

function rotationDue(keys: StoredSigningKey[], at: number, everyMs: number): boolean {
  const next = keys.find((key) => key.next === true);
  return next !== undefined && at - next.createdAt >= everyMs;
}

// Real time, not the server's clock: tests freeze that, and waiting is about real time.
async function acquire(lease: Lease): Promise<void> {
  const until = Date.now() + LEASE_WAIT_MS;
  while (!(await lease.acquire())) {
    if (Date.now() > until)
      throw new Error('Another process kept the signing keys busy; try again.');
    await new Promise((resolve) => setTimeout(resolve, LEASE_RETRY_MS));
  }
}
