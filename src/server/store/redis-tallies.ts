/**
 * The {@link RedisStore}'s keys that belong to no room: counters (added up in memory and
 * written by `flush`, so metrics cost no round trip per request) and the signing keys (the
 * first process to save them wins, the others load them).
 */
import type { StoredSigningKey } from '../token-signer.js';
import type { RedisClient } from './redis-connection.js';
import { counterField, counterFrom } from './redis-codec.js';
import { guarded, unavailable } from './redis-guard.js';
import type { RedisKeys } from './redis-keys.js';
import type { CounterKey, CounterSample } from './queue-store.js';

/** Counters and signing keys of one store. */
export class RedisTallies {
  private readonly pending = new Map<string, number>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  increment(key: CounterKey, by: number): void {
    const field = counterField(key);
    this.pending.set(field, (this.pending.get(field) ?? 0) + by);
  }

  async readCounters(): Promise<CounterSample[]> {
    await this.flush();
    return guarded(async () => {
      const hash = await this.redis.hgetall(this.keys.counters);
      return Object.entries(hash).map(([field, value]) => counterFrom(field, value));
    });
  }

  /** Writes the counters added up since the last flush. */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending];
      this.pending.clear();
      try {
        // One key, so one slot: a pipeline is fine on a Cluster too.
        const pipeline = this.redis.pipeline();
        for (const [field, by] of batch) pipeline.hincrby(this.keys.counters, field, by);
        const results = (await pipeline.exec()) ?? [];
        for (const [error] of results) if (error) throw error;
      } catch (error) {
        // Kept for the next flush: a Redis outage delays counts, it does not lose them.
        for (const [field, by] of batch)
          this.pending.set(field, (this.pending.get(field) ?? 0) + by);
        unavailable(error);
      }
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  loadKeys(): Promise<StoredSigningKey[]> {
    return guarded(async () => {
      const json = await this.redis.get(this.keys.signingKeys);
      return json === null ? [] : (JSON.parse(json) as StoredSigningKey[]);
    });
  }

  async saveKeys(keys: StoredSigningKey[]): Promise<void> {
    await guarded(() => this.redis.set(this.keys.signingKeys, JSON.stringify(keys)));
  }

  /**
   * Saves `keys` unless keys are saved already; returns the keys saved now. Two processes
   * starting at once both generate keys: the first write wins, the other loads the winner's.
   */
  initKeys(keys: StoredSigningKey[]): Promise<StoredSigningKey[]> {
    return guarded(async () => {
      await this.redis.set(this.keys.signingKeys, JSON.stringify(keys), 'NX');
      const json = await this.redis.get(this.keys.signingKeys);
      return json === null ? keys : (JSON.parse(json) as StoredSigningKey[]);
    });
  }
}
