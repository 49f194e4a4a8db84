/**
 * The public fairness record of each room: the line sampled over time, admissions per minute,
 * signed "admitted up to seq N at time T" snapshots, and the opening draw, with the signed
 * facts that cover them (`fairness-facts.ts`).
 *
 * Why signed snapshots: a journalist who saves them can later prove what the server claimed at
 * each moment; a snapshot verifies against the JWKS like any admission, so the server cannot
 * deny it. Why bounded: the record is public and cacheable, so it must stay small whatever the
 * crowd; samples are taken at most every `sampleMs` and only the last `maxSamples` are kept.
 * Samples live in the store (`QueueStore.recordFairness`): processes sharing a Redis take one
 * sample per interval between them and publish one series; the draw and the snapshots verify
 * the same from any process.
 */
import { PATHS } from '../protocol.js';
import type { FairnessDraw, FairnessRecord } from '../protocol.js';
import { signFairnessFacts } from './fairness-facts.js';
import type { TokenSigner } from './token-signer.js';
import { MemoryFairness } from './store/memory-shared.js';
import type { ClaimRecord, DrawRecord, QueueStore, RoomRecord } from './store/queue-store.js';

const MINUTE_MS = 60_000;

/** Options of {@link createFairnessRecorder}. */
export interface FairnessRecorderOptions {
  signer: TokenSigner;
  /** Least time between two samples of one room, ms (default 15 s). */
  sampleMs?: number;
  /** Samples kept per room (default 240: an hour at 15 s). */
  maxSamples?: number;
  /** Signed snapshots kept per room (default 24). */
  maxSnapshots?: number;
  /** Minutes of admission counts kept per room (default 120). */
  maxMinutes?: number;
  /**
   * Where the series are kept: the queue store, so every process sharing it publishes one
   * series (the service passes its store); default: this recorder's memory.
   */
  store?: Pick<QueueStore, 'recordFairness' | 'readFairness'>;
}

/** Keeps the samples and builds the records; see {@link createFairnessRecorder}. */
export interface FairnessRecorder {
  /**
   * Takes a sample of the room unless one was taken less than `sampleMs` ago (`force` takes it
   * anyway). `claims` are the room's recent claims (counted per minute).
   */
  sample(
    record: RoomRecord,
    claims: readonly ClaimRecord[],
    at: number,
    force?: boolean,
  ): Promise<void>;
  /** The public record, with a fresh signed snapshot of `record` at `at`. */
  build(record: RoomRecord, draw: DrawRecord | null, at: number): Promise<FairnessRecord>;
}

/** The draw as the public may see it: the seed and the entrants only once it ran. */
export function publicDraw(draw: DrawRecord, opensAt: number | null): FairnessDraw {
  const drawn = draw.drawnAt !== null;
  return {
    commitment: draw.commitment,
    committedAt: draw.committedAt,
    opensAt: opensAt ?? draw.opensAt,
    seed: drawn ? draw.seed : null,
    drawnAt: draw.drawnAt,
    base: draw.base,
    entrants: drawn ? [...new Set(draw.entrants)].sort() : null,
    entrantCount: drawn ? new Set(draw.entrants).size : null,
    beacon: draw.beacon ? { ...draw.beacon, value: draw.beaconValue ?? null } : null,
  };
}

/**
 * Creates a recorder.
 *
 * @example
 * ```ts
 * const recorder = createFairnessRecorder({ signer });
 * await recorder.sample(record, activity.claims, Date.now());
 * const body = await recorder.build(record, await store.getDraw(room), Date.now());
 * ```
 */
export function createFairnessRecorder(options: FairnessRecorderOptions): FairnessRecorder {
  const { signer } = options;
  const sampleMs = options.sampleMs ?? 15_000;
  const maxSamples = options.maxSamples ?? 240;
  const maxSnapshots = options.maxSnapshots ?? 24;
  const maxMinutes = options.maxMinutes ?? 120;
  const store = options.store ?? memoryStore();
  /** Per room: the last sample this process knows of, and the minute counts it wrote. */
  const known = new Map<string, { lastAt: number | null; minutes: Map<number, number> }>();

  const snapshot = (record: RoomRecord, at: number): Promise<string> =>
    signer.signFairness({ room: record.room, serving: record.serving, issued: record.issued, at });

  return {
    async sample(record, claims, at, force = false) {
      const room = record.room;
      let seen = known.get(room);
      if (!seen) {
        seen = { lastAt: null, minutes: new Map() };
        known.set(room, seen);
      }
      // Claims are kept only for the hold window, so counts are folded in at every call and a
      // minute keeps the highest count seen: older minutes stay after their claims are pruned.
      const counts = new Map<number, number>();
      for (const claim of claims) {
        const minute = Math.floor(claim.claimedAt / MINUTE_MS) * MINUTE_MS;
        counts.set(minute, (counts.get(minute) ?? 0) + 1);
      }
      const oldestMinute = Math.floor(at / MINUTE_MS) * MINUTE_MS - (maxMinutes - 1) * MINUTE_MS;
      for (const minute of seen.minutes.keys()) {
        if (minute < oldestMinute) seen.minutes.delete(minute);
      }
      // Only counts this process has not written yet go to the store.
      const minutes = [...counts]
        .filter(
          ([minute, count]) => minute >= oldestMinute && count > (seen.minutes.get(minute) ?? 0),
        )
        .map(([minute, count]) => ({ minute, count }));
      // Signing costs: skipped while this process knows of a sample less than sampleMs old.
      const due = force || seen.lastAt === null || at - seen.lastAt >= sampleMs;
      if (!due && minutes.length === 0) return;
      const sample = due
        ? {
            at,
            serving: record.serving,
            issued: record.issued,
            snapshot: await snapshot(record, at),
          }
        : null;
      const { lastAt } = await store.recordFairness(
        room,
        { sample, minutes, oldestMinute },
        { minGapMs: force ? 0 : sampleMs, maxSamples, maxSnapshots },
      );
      seen.lastAt = lastAt;
      for (const { minute, count } of minutes) seen.minutes.set(minute, count);
    },

    async build(record, draw, at) {
      const stored = await store.readFairness(record.room);
      const latest = await snapshot(record, at);
      const series =
        stored.points.at(-1)?.at === at
          ? stored.points
          : [...stored.points, { at, serving: record.serving, issued: record.issued }];
      const published = { series, admissionsPerMinute: stored.minutes, updatedAt: at };
      return {
        room: record.room,
        draw: draw ? publicDraw(draw, record.config.opensAt) : null,
        ...published,
        snapshots: [...stored.snapshots, latest],
        signed: await signFairnessFacts(signer, record.room, draw, published),
        jwks: PATHS.jwks,
      };
    },
  };
}

/** A recorder's own series, for a recorder made without a store. */
function memoryStore(): Pick<QueueStore, 'recordFairness' | 'readFairness'> {
  const series = new MemoryFairness();
  return {
    recordFairness: async (room, entry, bounds) => series.record(room, entry, bounds),
    readFairness: async (room) => series.read(room),
  };
}
