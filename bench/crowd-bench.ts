/**
 * The crowd section of BENCHMARKS.md: origin load of 10k, 100k and 1M simulated visitors
 * running the real client scheduler, with and without a CDN, against naive fixed polling
 * simulated in the same run, and the reconnect burst after a restart.
 */
import { DEFAULT_ROOM_CONFIG } from '../src/server/room-config.js';
import { STATE_CACHE_CONTROL } from '../src/server/routes/state.js';
import { originRate, simulateCrowd } from './crowd-simulation.js';
import type { CrowdOptions, OriginLoad } from './crowd-simulation.js';
import { count, markdownTable, ratio, verdict } from './markdown-table.js';

/** The bound: origin requests per second per million visitors waiting, without a CDN. */
export const ORIGIN_BOUND_PER_MILLION = 35_000;

/** The shared setting of every crowd run, so the test and the bench measure the same thing. */
export const CROWD_SCENARIO = {
  /** Everyone joins during the first minute (the opening surge). */
  arrivalMs: 60_000,
  /**
   * Steady load is measured from 120 s: by then every visitor has polled for at least a minute,
   * so the first, un-jittered phase after joining no longer flatters the figure.
   */
  steadyFromMs: 120_000,
  steadyToMs: 210_000,
  /** A new room's base poll interval, as the server sends it. */
  basePollMs: DEFAULT_ROOM_CONFIG.pollAfterMs,
  /** The design's booking capacity: 300,000 bookings an hour. */
  movingAdmitPerSec: 300_000 / 3600,
  /** Edges of the CDN; each revalidates `state` once per `s-maxage`. */
  cdnEdges: 50,
  /** `s-maxage` of the server's own state answers. */
  cdnMaxAgeMs: Number(/s-maxage=(\d+)/.exec(STATE_CACHE_CONTROL)?.[1] ?? '1') * 1000,
} as const;

/**
 * Steady origin load of `visitors` queue-gate clients without a CDN.
 *
 * @param admitPerSec - how fast the line moves (0: it stands still, the heaviest case)
 */
export function steadyOriginLoad(
  visitors: number,
  admitPerSec: number,
  extra: Partial<CrowdOptions> = {},
): OriginLoad {
  const run = simulateCrowd({
    visitors,
    policy: { kind: 'queue-gate', basePollMs: CROWD_SCENARIO.basePollMs },
    admitPerSec,
    arrivalMs: CROWD_SCENARIO.arrivalMs,
    durationMs: CROWD_SCENARIO.steadyToMs,
    ...extra,
  });
  return originRate(run, CROWD_SCENARIO.steadyFromMs, CROWD_SCENARIO.steadyToMs);
}

/** What follows a restart of the origin that lasted `outageMs`. */
export interface RestartBurst {
  steadyPerSecond: number;
  /** Mean origin requests per second over the first 10 s after it is back. */
  firstTenSecondsPerSecond: number;
  /** The busiest single second of those 10 s. */
  peakPerSecond: number;
  /** The most connection attempts refused in one second while it was down. */
  refusedPeakPerSecond: number;
}

/**
 * Simulates a restart of the origin (every request refused for `outageMs`) at 180 s, with a
 * million visitors on a moving line, and measures the burst when it comes back.
 */
export function restartBurst(
  visitors: number,
  outageMs: number,
  options: { seed?: number; backoffOnlyRetry?: boolean } = {},
): RestartBurst {
  const atMs = 180_000;
  const run = simulateCrowd({
    visitors,
    policy: { kind: 'queue-gate', basePollMs: CROWD_SCENARIO.basePollMs },
    admitPerSec: CROWD_SCENARIO.movingAdmitPerSec,
    arrivalMs: CROWD_SCENARIO.arrivalMs,
    durationMs: atMs + outageMs + 30_000,
    outage: { atMs, forMs: outageMs },
    seed: options.seed ?? 1,
    backoffOnlyRetry: options.backoffOnlyRetry ?? false,
  });
  const steady = originRate(run, atMs - 60_000, atMs);
  const back = originRate(run, atMs + outageMs, atMs + outageMs + 10_000);
  let refusedPeak = 0;
  for (let s = atMs / 1000; s < (atMs + outageMs) / 1000; s += 1) {
    refusedPeak = Math.max(refusedPeak, run.refused[s] ?? 0);
  }
  return {
    steadyPerSecond: steady.perSecond,
    firstTenSecondsPerSecond: back.perSecond,
    peakPerSecond: back.peakPerSecond,
    refusedPeakPerSecond: refusedPeak,
  };
}

function fixedLoad(visitors: number, admitPerSec: number, intervalMs: number): OriginLoad {
  const run = simulateCrowd({
    visitors,
    policy: { kind: 'fixed', intervalMs },
    admitPerSec,
    arrivalMs: CROWD_SCENARIO.arrivalMs,
    durationMs: CROWD_SCENARIO.steadyToMs,
  });
  return originRate(run, CROWD_SCENARIO.steadyFromMs, CROWD_SCENARIO.steadyToMs);
}

/**
 * Runs the crowd simulations and returns their section of BENCHMARKS.md.
 *
 * @example
 * ```ts
 * console.log(benchCrowd());
 * ```
 */
export function benchCrowd(): string {
  const s = CROWD_SCENARIO;
  const rows: string[][] = [];
  let millionStanding: OriginLoad | null = null;
  for (const visitors of [10_000, 100_000, 1_000_000]) {
    for (const [line, admitPerSec] of [
      ['standing', 0],
      ['moving 83/s', s.movingAdmitPerSec],
    ] as const) {
      const plain = steadyOriginLoad(visitors, admitPerSec);
      const cdn = steadyOriginLoad(visitors, admitPerSec, {
        cdn: { edges: s.cdnEdges, maxAgeMs: s.cdnMaxAgeMs },
      });
      const every3 = fixedLoad(visitors, admitPerSec, 3000);
      const every20 = fixedLoad(visitors, admitPerSec, 20_000);
      if (visitors === 1_000_000 && admitPerSec === 0) millionStanding = plain;
      if (plain.waiting < visitors / 100) {
        // At 300,000 an hour a small line is through before the steady window: nothing to show.
        const emptyBy = Math.ceil(visitors / admitPerSec);
        rows.push([
          count(visitors),
          line,
          `line through by about ${emptyBy} s`,
          '–',
          '–',
          '–',
          '–',
          '–',
        ]);
        continue;
      }
      rows.push([
        count(visitors),
        line,
        count(plain.waiting),
        `${count(plain.perSecond)} (${ratio(plain.perSecond, every3.perSecond)})`,
        count(plain.perMillionWaiting),
        `${count(cdn.perSecond)} (${ratio(cdn.perSecond, plain.perSecond)})`,
        count(every3.perSecond),
        `${count(every20.perSecond)} (${ratio(every20.perSecond, every3.perSecond)})`,
      ]);
    }
  }
  const bound = millionStanding!.perMillionWaiting;
  const restarts = [1000, 5000, 15_000].map((outageMs) => ({
    outageMs,
    ...restartBurst(1_000_000, outageMs),
    before: restartBurst(1_000_000, outageMs, { backoffOnlyRetry: true }),
  }));
  const fiveSeconds = restarts.find((r) => r.outageMs === 5000)!;
  const burstRatio = fiveSeconds.firstTenSecondsPerSecond / fiveSeconds.steadyPerSecond;
  return [
    '## The crowd (simulated)',
    '',
    `Every visitor runs the client's real scheduler (\`pollDelay\`, \`retryDelay\`, \`pollIntervalFor\`) ` +
      `with a seeded random source on a simulated clock (discrete events, no real time). Visitors join ` +
      `in the first ${s.arrivalMs / 1000} s; the steady origin load is the mean over ` +
      `${s.steadyFromMs / 1000}–${s.steadyToMs / 1000} s. Base poll interval ${s.basePollMs} ms ` +
      `(a new room's default). "Standing": the line does not move (rate 0, the heaviest case, ` +
      `e.g. just before admissions start); "moving": 300,000 admissions an hour, as the design's ` +
      `booking system. CDN: ${s.cdnEdges} edges, each fetching \`state\` from the origin at most once ` +
      `per \`s-maxage\` (${s.cdnMaxAgeMs / 1000} s); joins and admissions always reach the origin. ` +
      `Ratios are to fixed 3 s polling of the same crowd in the same run; in the CDN column, to the ` +
      `same clients without a CDN.`,
    '',
    markdownTable(
      [
        'visitors',
        'line',
        'waiting (mean)',
        'origin req/s, no CDN',
        'per 1M waiting',
        'origin req/s, CDN',
        'fixed 3 s (baseline)',
        'fixed 20 s',
      ],
      rows,
    ),
    '',
    `Bound "at most ${count(ORIGIN_BOUND_PER_MILLION)} origin requests/s per million waiting without a CDN" ` +
      `(1M visitors, standing line): ${count(bound)}/s, ${verdict(bound <= ORIGIN_BOUND_PER_MILLION)} ` +
      `(${ratio(bound, ORIGIN_BOUND_PER_MILLION)} of the bound). Smaller crowds have a higher rate per ` +
      `visitor because a larger share of them is near the front, where polls are frequent by design; ` +
      `their absolute load is small.`,
    '',
    '### Reconnect burst after a restart',
    '',
    `1M visitors on a moving line; the origin refuses every request for the given time at 180 s ` +
      `(a process restart), then answers again. Steady = mean of the minute before.`,
    '',
    markdownTable(
      [
        'outage',
        'steady req/s',
        'first 10 s after, mean',
        'busiest second of those 10 s',
        'refused attempts/s while down (peak)',
        'backoff alone (client before): busiest second',
      ],
      restarts.map((r) => [
        `${r.outageMs / 1000} s`,
        count(r.steadyPerSecond),
        `${count(r.firstTenSecondsPerSecond)} (${ratio(r.firstTenSecondsPerSecond, r.steadyPerSecond)})`,
        `${count(r.peakPerSecond)} (${ratio(r.peakPerSecond, r.steadyPerSecond)})`,
        `${count(r.refusedPeakPerSecond)} (${ratio(r.refusedPeakPerSecond, r.steadyPerSecond)})`,
        `${ratio(r.before.peakPerSecond, r.before.steadyPerSecond)} (10 s mean ` +
          `${ratio(r.before.firstTenSecondsPerSecond, r.before.steadyPerSecond)})`,
      ]),
    ),
    '',
    `Goal "at most 1.5x the steady rate in the first 10 s" (5 s restart, mean of the 10 s): ` +
      `${verdict(burstRatio <= 1.5)} (${burstRatio.toFixed(3)}x); its busiest single second is ` +
      `${ratio(fiveSeconds.peakPerSecond, fiveSeconds.steadyPerSecond)}. The polls that failed during ` +
      `the outage are deferred, not dropped. The client retries a failed \`state\` poll no sooner ` +
      `than its own next (jittered) poll would have been, and no sooner than its full-jitter ` +
      `backoff (windows of 1, 2, 4, 8 s), so the deferred polls come back spread over their usual ` +
      `intervals. The last column is the client before that floor, backoff alone: it returned ` +
      `them within a few seconds of the restart, so the first seconds carried most of them and a ` +
      `longer outage gave a larger burst. A CDN ` +
      `serving stale \`state\` on origin errors hides a short restart from the waiting crowd ` +
      `(see docs/cdn.md).`,
    '',
  ].join('\n');
}
