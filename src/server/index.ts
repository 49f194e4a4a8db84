/**
 * The queue-gate reference server: a Hono app with signed tickets and admissions, admission
 * control, an admin API and metrics, plus the embedded store and a Node runner. The Redis store
 * is imported from `queue-gate/server/redis`.
 *
 * @example
 * ```ts
 * import { startQueueServer } from 'queue-gate/server';
 * const server = await startQueueServer({ port: 8787, dataDir: './.queue-gate-data' });
 * console.log(`listening on ${server.url}`);
 * ```
 *
 * @packageDocumentation
 */
export { createQueueApp } from './app.js';
export type { QueueAppDeps } from './app.js';
export type { QueueAppEnv } from './app-env.js';
export { createQueueService, MAX_ADVANCE_BY } from './queue-service.js';
export type * from './service/types.js';
export {
  admissionControl,
  admissionFigures,
  DEFAULT_CLAIM_GRACE_SECONDS,
} from './admission-control.js';
export type {
  AdmissionControlDecision,
  AdmissionControlInput,
  AdmissionControlReason,
} from './admission-control.js';
export { ApiError } from './api-error.js';
export {
  DEFAULT_ROOM_CONFIG,
  ROOM_CONFIG_BOUNDS,
  parseRoomConfigPatch,
  mergeRoomConfig,
} from './room-config.js';
export { renderMetrics } from './metrics.js';
export type { RoomGauges } from './metrics.js';
export type { Asset, AssetSource } from './routes/static-pages.js';
export { createDiskAssets } from './disk-assets.js';
export { MemoryStore } from './store/memory-store.js';
export type {
  MemoryStoreOptions,
  StorePersistence,
  StoreSnapshot,
  RoomSnapshot,
} from './store/memory-store.js';
export { createFilePersistence, writeFileAtomic } from './store/file-persistence.js';
// The Redis store has its own entry point, `queue-gate/server/redis` (see `redis.ts`), so this
// one never loads ioredis, an optional peer dependency.
export { RoomNotFoundError, StoreUnavailableError } from './store/store-errors.js';
export { DEFAULT_LEASE_TTL_MS } from './lease.js';
export type { Lease } from './lease.js';
export { tickUnderLease } from './lease-ticker.js';
export type {
  AdvanceRecord,
  ClaimRecord,
  CounterKey,
  CounterName,
  CounterSample,
  IdentityBinding,
  IdentityBindingChange,
  IdentityStore,
  QueueStore,
  RoomActivity,
  RoomConfig,
  RoomRecord,
} from './store/queue-store.js';
export type { RoomConfigPatch } from './room-config.js';
export type { RoomIdentity, RoomIdentityInput } from './identity/identity-settings.js';
export {
  startQueueServer,
  DEFAULT_DATA_DIR,
  DEFAULT_HTTP_TIMEOUTS,
  DEFAULT_MAX_REQUESTS_PER_CLIENT,
  DEMO_ROOM,
} from './node-server.js';
export { MAX_TRUSTED_PROXIES } from './client-address.js';
export type { HttpTimeouts, RunningQueueServer, StartQueueServerOptions } from './node-server.js';
export { CHALLENGE_HEADER, requireJoinChallenge } from './join-challenge.js';
export type { JoinChallenge } from './join-challenge.js';
export {
  PROOF_OF_WORK_HEADER,
  createProofOfWorkChallenge,
  leadingZeroBits,
  solveProofOfWork,
} from './proof-of-work.js';
export type { ProofOfWorkOptions } from './proof-of-work.js';
export { createTokenSigner, TokenError } from './token-signer.js';
export type { TokenSigner, TokenSignerOptions, StoredSigningKey } from './token-signer.js';
