/**
 * Admission control under a lease: of many processes sharing one store, only the lease holder
 * moves `serving`; the others keep their measured rates fresh from the shared history.
 *
 * Why: two processes ticking at once would each spend the room's admission budget, letting
 * twice the configured rate through. The holder renews the lease on every tick; if it dies, the
 * lease lapses and the next process to tick takes over (its pacing credit starts afresh, which
 * costs at most one burst).
 */
import type { Lease } from './lease.js';
import type { QueueService } from './queue-service.js';

/**
 * Runs one tick of admission control if this process holds (or can take) the lease.
 *
 * @returns whether this process held the lease and ran admission control
 * @example
 * ```ts
 * setInterval(() => void tickUnderLease(store.lease('admission-control'), service), 1000);
 * ```
 */
export async function tickUnderLease(
  lease: Lease,
  service: Pick<QueueService, 'tick' | 'refreshRates'>,
): Promise<boolean> {
  if (await lease.acquire()) {
    await service.tick();
    return true;
  }
  await service.refreshRates();
  return false;
}
