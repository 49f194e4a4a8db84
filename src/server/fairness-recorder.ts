/**
 * The public fairness record of each room: the line sampled over time, admissions per minute,
 * signed "admitted up to seq N at time T" snapshots, and the opening draw.
 *
 * Why signed snapshots: a journalist who saves them can later prove what the server claimed at
 * each moment; a snapshot verifies against the JWKS like any admission, so the server cannot
 * deny it. Why bounded: the record is public and cacheable, so it must stay small whatever the
 * crowd; samples are taken at most every `sampleMs` and only the last `maxSamples` are kept.
 * Samples live in the process that took them (each process of a Redis deployment keeps its
 * own); the draw and the snapshots verify the same from any process.
 */
import { PATHS } from '../protocol.js';
import type { FairnessDraw, FairnessRecord } from '../protocol.js';
import type { TokenSigner } from './token-signer.js';
import type { ClaimRecord, DrawRecord, RoomRecord } from './store/queue-store.js';

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

interface RoomSeries {
  lastAt: number;
  series: Array<{ at: number; serving: number; issued: number }>;
  snapshots: string[];
  minutes: Map<number, number>;
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
  const rooms = new Map<string, RoomSeries>();

  const seriesOf = (room: string): RoomSeries => {
    let series = rooms.get(room);
    if (!series) {
      series = { lastAt: -Infinity, series: [], snapshots: [], minutes: new Map() };
      rooms.set(room, series);
    }
    return series;
  };

  const snapshot = (record: RoomRecord, at: number): Promise<string> =>
    signer.signFairness({ room: record.room, serving: record.serving, issued: record.issued, at });

  return {
    async sample(record, claims, at, force = false) {
      const entry = seriesOf(record.room);
      // Claims are kept only for the hold window, so counts are folded in at every call and a
      // minute keeps the highest count seen: older minutes stay after their claims are pruned.
      const counts = new Map<number, number>();
      for (const claim of claims) {
        const minute = Math.floor(claim.claimedAt / MINUTE_MS) * MINUTE_MS;
        counts.set(minute, (counts.get(minute) ?? 0) + 1);
      }
      for (const [minute, count] of counts) {
        entry.minutes.set(minute, Math.max(entry.minutes.get(minute) ?? 0, count));
      }
      const oldestMinute = Math.floor(at / MINUTE_MS) * MINUTE_MS - (maxMinutes - 1) * MINUTE_MS;
      for (const minute of entry.minutes.keys()) {
        if (minute < oldestMinute) entry.minutes.delete(minute);
      }
      if (!force && at - entry.lastAt < sampleMs) return;
      entry.lastAt = at;
      entry.series.push({ at, serving: record.serving, issued: record.issued });
      if (entry.series.length > maxSamples)
        entry.series.splice(0, entry.series.length - maxSamples);
      entry.snapshots.push(await snapshot(record, at));
      if (entry.snapshots.length > maxSnapshots) {
        entry.snapshots.splice(0, entry.snapshots.length - maxSnapshots);
      }
    },

    async build(record, draw, at) {
      const entry = seriesOf(record.room);
      const latest = await snapshot(record, at);
      return {
        room: record.room,
        draw: draw ? publicDraw(draw, record.config.opensAt) : null,
        series:
          entry.series.at(-1)?.at === at
            ? [...entry.series]
            : [...entry.series, { at, serving: record.serving, issued: record.issued }],
        admissionsPerMinute: [...entry.minutes.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([minute, count]) => ({ minute, count })),
        snapshots: [...entry.snapshots, latest],
        jwks: PATHS.jwks,
        updatedAt: at,
      };
    },
  };
}
