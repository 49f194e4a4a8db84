/**
 * The embedded store's keys that belong to no room: used single-use keys, counters and the
 * signing keys.
 */
import type { StoredSigningKey } from '../token-signer.js';
import type { StoreSnapshot } from './memory-snapshot.js';
import type { SnapshotWriter } from './memory-writer.js';
import type { CounterKey, CounterSample } from './queue-store.js';
import { CONSUMED_TOLERANCE_MS, SWEEP_EVERY_MS } from './store-policy.js';

const counterId = (key: CounterKey): string =>
  `${key.name}\u0000${key.room ?? ''}\u0000${key.code ?? ''}`;

/** Used keys, counters and signing keys of one store. */
export class MemoryTallies {
  private consumedSweptAt = -Infinity;
  private readonly consumed = new Map<string, number>();
  private readonly counters = new Map<string, CounterSample>();
  private keys: StoredSigningKey[] = [];

  constructor(private readonly writer: SnapshotWriter) {}

  async consume(key: string, expiresAtMs: number, now: number): Promise<boolean> {
    if (now - this.consumedSweptAt >= SWEEP_EVERY_MS) {
      this.consumedSweptAt = now;
      for (const [used, expiresAt] of this.consumed) {
        if (expiresAt + CONSUMED_TOLERANCE_MS <= now) this.consumed.delete(used);
      }
    }
    if (this.consumed.has(key)) return false;
    // Kept until `max(expiry, now) + tolerance`, as the Redis store keeps it.
    const expiresAt = Math.max(expiresAtMs, now);
    this.consumed.set(key, expiresAt);
    await this.writer.journal({ type: 'consume', jti: key, expiresAt });
    return true;
  }

  increment(key: CounterKey, by: number): void {
    const id = counterId(key);
    const sample = this.counters.get(id) ?? { ...key, value: 0 };
    sample.value += by;
    this.counters.set(id, sample);
    this.writer.dirty = true;
  }

  readCounters(): CounterSample[] {
    return [...this.counters.values()].map((sample) => ({ ...sample }));
  }

  loadKeys(): StoredSigningKey[] {
    return this.keys.map((key) => ({ ...key }));
  }

  async saveKeys(keys: StoredSigningKey[]): Promise<void> {
    this.keys = keys.map((key) => ({ ...key }));
    await this.writer.save();
  }

  async initKeys(keys: StoredSigningKey[]): Promise<StoredSigningKey[]> {
    if (this.keys.length === 0) await this.saveKeys(keys);
    else await this.writer.settled();
    return this.loadKeys();
  }

  /** The parts of a snapshot kept here. */
  toSnapshot(): Pick<StoreSnapshot, 'consumed' | 'counters' | 'keys'> {
    return {
      consumed: [...this.consumed.entries()],
      counters: this.readCounters(),
      keys: this.loadKeys(),
    };
  }

  restore(snapshot: StoreSnapshot): void {
    for (const [jti, expiresAt] of snapshot.consumed) this.consumed.set(jti, expiresAt);
    for (const sample of snapshot.counters) this.counters.set(counterId(sample), { ...sample });
    this.keys = snapshot.keys.map((key) => ({ ...key }));
  }
}
