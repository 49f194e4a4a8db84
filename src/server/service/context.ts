/**
 * What every operation of the service shares: the store, the signer, the clock, the per-process
 * caches (measured rates, pacing credit) and the small reads they all start from.
 */
import { DEFAULT_CLAIM_GRACE_SECONDS } from '../admission-control.js';
import type { AdmissionPace } from '../admission-control.js';
import { ApiError } from '../api-error.js';
import { createFairnessRecorder } from '../fairness-recorder.js';
import type { FairnessRecorder } from '../fairness-recorder.js';
import { createOpeningGate } from '../opening-gate.js';
import type { OpeningGate } from '../opening-gate.js';
import { measuredRate } from '../room-timeline.js';
import type { TokenSigner } from '../token-signer.js';
import type { CounterKey, QueueStore, RoomRecord } from '../store/queue-store.js';
import type { QueueServiceOptions } from './types.js';

/** The service's insides, handed to each operation; never part of the public API. */
export interface ServiceContext {
  readonly store: QueueStore;
  readonly signer: TokenSigner;
  readonly publicOrigin: string;
  readonly now: () => number;
  readonly claimGraceMs: number;
  readonly gate: OpeningGate;
  readonly recorder: FairnessRecorder;
  /** Measured admission rate per room, refreshed by the ticker. */
  readonly rates: Map<string, number>;
  /** Pacing credit per room; kept in this process (losing it on restart costs one burst). */
  readonly paces: Map<string, AdmissionPace>;
  /** The room, or 404 `room_not_found`. */
  requireRoom(room: string): Promise<RoomRecord>;
  /** Measures the room's rate from the shared history, remembers it and samples fairness. */
  refreshRate(record: RoomRecord, at: number): Promise<number>;
  /** The remembered rate, measured now if this process has none yet. */
  rateOf(record: RoomRecord): Promise<number>;
  count(key: CounterKey): Promise<void>;
}

/** The 404 of a room that does not exist. */
export function roomNotFound(room: string): ApiError {
  return new ApiError(404, 'room_not_found', `There is no room named "${room}".`);
}

/** Builds the shared context from the service's options. */
export function createServiceContext(options: QueueServiceOptions): ServiceContext {
  const { store, signer, publicOrigin } = options;
  const now = options.now ?? Date.now;
  const rates = new Map<string, number>();
  // The series live in the store, so processes sharing it publish one.
  const recorder = createFairnessRecorder({ ...options.fairness, signer, store });
  const refreshRate = async (record: RoomRecord, at: number): Promise<number> => {
    const { advances, claims } = await store.getActivity(record.room, at);
    const rate = measuredRate(advances, record.serving, at);
    rates.set(record.room, rate);
    await recorder.sample(record, claims, at);
    return rate;
  };
  return {
    store,
    signer,
    publicOrigin,
    now,
    claimGraceMs: (options.claimGraceSeconds ?? DEFAULT_CLAIM_GRACE_SECONDS) * 1000,
    gate: createOpeningGate({
      store,
      ...(options.drawSeed ? { drawSeed: options.drawSeed } : {}),
    }),
    recorder,
    rates,
    paces: new Map(),
    async requireRoom(room) {
      const record = await store.getRoom(room);
      if (!record) throw roomNotFound(room);
      return record;
    },
    refreshRate,
    rateOf: async (record) => rates.get(record.room) ?? refreshRate(record, now()),
    count: (key) => store.incrementCounter(key),
  };
}
