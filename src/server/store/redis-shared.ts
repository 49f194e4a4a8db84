/**
 * The shared records of a {@link RedisStore} (see `shared-records.ts`): new places per client
 * and each room's fairness series, one Lua script each (`redis-shared-scripts.ts`).
 */
import type { RedisKeys } from './redis-keys.js';
import {
  newPlaceCount,
  windowStartOf,
  type FairnessAppend,
  type FairnessBounds,
  type FairnessEntry,
  type FairnessSeries,
  type NewPlaceCount,
} from './shared-records.js';

type Call = (name: string, keys: string[], args: Array<string | number>) => Promise<unknown>;

/** Join counts and fairness series in Redis. */
export class RedisShared {
  constructor(
    private readonly keys: RedisKeys,
    private readonly script: Call,
  ) {}

  async countNewPlace(
    key: string,
    windowMs: number,
    limit: number,
    now: number,
  ): Promise<NewPlaceCount> {
    const [allowed, start] = (await this.script(
      'qgCountNewPlace',
      [this.keys.joins(key)],
      [windowStartOf(now, windowMs), windowMs, limit],
    )) as [number, string];
    return newPlaceCount(Number(allowed) === 1, Number(start), windowMs, now);
  }

  async recordFairness(
    room: string,
    entry: FairnessEntry,
    bounds: FairnessBounds,
  ): Promise<FairnessAppend> {
    const { sample } = entry;
    const [appended, lastAt] = (await this.script('qgRecordFairness', this.fairnessKeys(room), [
      sample ? 1 : 0,
      sample?.at ?? 0,
      sample?.serving ?? 0,
      sample?.issued ?? 0,
      sample?.snapshot ?? '',
      bounds.minGapMs,
      bounds.maxSamples,
      bounds.maxSnapshots,
      entry.oldestMinute,
      ...entry.minutes.flatMap(({ minute, count }) => [minute, count]),
    ])) as [number, string];
    return { appended: Number(appended) === 1, lastAt: lastAt === '' ? null : Number(lastAt) };
  }

  async readFairness(room: string): Promise<FairnessSeries> {
    const [points, snapshots, minutes] = (await this.script(
      'qgReadFairness',
      this.fairnessKeys(room),
      [],
    )) as [string[], string[], string[]];
    const counts: Array<{ minute: number; count: number }> = [];
    for (let i = 0; i + 1 < minutes.length; i += 2) {
      counts.push({ minute: Number(minutes[i]), count: Number(minutes[i + 1]) });
    }
    return {
      points: points.map((point) => {
        const [at, serving, issued] = point.split(':').map(Number);
        return { at: at!, serving: serving!, issued: issued! };
      }),
      snapshots,
      minutes: counts.sort((a, b) => a.minute - b.minute),
    };
  }

  private fairnessKeys(room: string): string[] {
    const keys = this.keys.room(room);
    return [keys.fairnessPoints, keys.fairnessSnapshots, keys.fairnessMinutes];
  }
}
