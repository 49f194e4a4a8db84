/**
 * The embedded store's shared records (see `shared-records.ts`): new places per client and the
 * fairness series. Kept in memory only: one process owns the embedded store, and both are
 * short-lived (a restart forgets at most a minute of counts and the samples so far).
 */
import {
  newPlaceCount,
  windowStartOf,
  type FairnessAppend,
  type FairnessBounds,
  type FairnessEntry,
  type FairnessSeries,
  type NewPlaceCount,
} from './shared-records.js';

/** New places per client key in fixed windows; entries of ended windows are swept. */
export class MemoryNewPlaces {
  private readonly counts = new Map<string, { start: number; count: number; windowMs: number }>();
  private sweptAt = -Infinity;

  count(key: string, windowMs: number, limit: number, now: number): NewPlaceCount {
    if (now - this.sweptAt >= windowMs) {
      this.sweptAt = now;
      for (const [seen, entry] of this.counts) {
        if (entry.start + entry.windowMs <= now) this.counts.delete(seen);
      }
    }
    let start = windowStartOf(now, windowMs);
    let entry = this.counts.get(key);
    // A window already counted from a clock ahead of this one is still the current one.
    if (entry && entry.start >= start) start = entry.start;
    else entry = undefined;
    const used = entry?.count ?? 0;
    if (used >= limit) return newPlaceCount(false, start, windowMs, now);
    this.counts.set(key, { start, count: used + 1, windowMs });
    return newPlaceCount(true, start, windowMs, now);
  }
}

/** Fairness series per room. */
export class MemoryFairness {
  private readonly rooms = new Map<string, FairnessSeries>();

  record(room: string, entry: FairnessEntry, bounds: FairnessBounds): FairnessAppend {
    let series = this.rooms.get(room);
    if (!series) {
      series = { points: [], snapshots: [], minutes: [] };
      this.rooms.set(room, series);
    }
    const minutes = new Map(series.minutes.map(({ minute, count }) => [minute, count]));
    for (const { minute, count } of entry.minutes) {
      minutes.set(minute, Math.max(minutes.get(minute) ?? 0, count));
    }
    series.minutes = [...minutes]
      .filter(([minute]) => minute >= entry.oldestMinute)
      .sort((a, b) => a[0] - b[0])
      .map(([minute, count]) => ({ minute, count }));
    let lastAt = series.points.at(-1)?.at ?? null;
    const { sample } = entry;
    if (!sample || (lastAt !== null && sample.at - lastAt < bounds.minGapMs)) {
      return { appended: false, lastAt };
    }
    series.points.push({ at: sample.at, serving: sample.serving, issued: sample.issued });
    series.points.splice(0, Math.max(0, series.points.length - bounds.maxSamples));
    series.snapshots.push(sample.snapshot);
    series.snapshots.splice(0, Math.max(0, series.snapshots.length - bounds.maxSnapshots));
    lastAt = sample.at;
    return { appended: true, lastAt };
  }

  read(room: string): FairnessSeries {
    const series = this.rooms.get(room);
    return {
      points: series?.points.map((point) => ({ ...point })) ?? [],
      snapshots: [...(series?.snapshots ?? [])],
      minutes: series?.minutes.map((minute) => ({ ...minute })) ?? [],
    };
  }
}
