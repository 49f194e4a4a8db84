/** Options of the {@link RedisStore} (see `redis-store.ts`). */
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { SeqBlockOptions } from './redis-seq-blocks.js';

/** Options of {@link RedisStore.open}. */
export interface RedisStoreOptions {
  /**
   * `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS); with `cluster`, a
   * comma-separated list of seed nodes (`redis://10.0.0.1:7000,redis://10.0.0.2:7000`).
   */
  url: string;
  /**
   * Talk to a Redis Cluster (ioredis `Cluster`): `url` lists seed nodes, the client learns
   * the rest. Every key of a room shares the `{room}` hash tag, so each script runs on one node.
   */
  cluster?: boolean;
  /** Prefix of every key (default `queue-gate:`); lets several deployments share one Redis. */
  keyPrefix?: string;
  /** A command that gets no answer within this many ms fails (default 1000). */
  commandTimeoutMs?: number;
  /** Connecting at start fails after this many ms (default 3000). */
  connectTimeoutMs?: number;
  /** Tuning of the per-process seq blocks (see `createSeqBlocks`). */
  seqBlocks?: Omit<SeqBlockOptions, 'reserve'>;
  /** Extra ioredis options, per node for a Cluster (tests use it to shorten reconnect delays). */
  redisOptions?: Partial<RedisOptions>;
  /** Extra ioredis Cluster options (only with `cluster`). */
  clusterOptions?: Partial<ClusterOptions>;
}
