/**
 * The geometry of the operator panel's line chart, kept apart from the DOM so the scaling can
 * be tested without a browser layout: samples in, SVG path data and axis labels out.
 */

/** One reading of a room's counters. */
export interface ChartSample {
  /** When it was read (epoch ms). */
  at: number;
  serving: number;
  issued: number;
}

/** The drawing area, in SVG user units. */
export interface ChartSize {
  width: number;
  height: number;
  /** Space kept free on every side, so strokes at the edges are not cut. */
  padding: number;
}

/** What to draw. */
export interface ChartPaths {
  /** Path data of `serving` over time ('' without samples). */
  serving: string;
  /** Path data of `issued` over time ('' without samples). */
  issued: string;
  /** The value at the top and at the bottom edge. */
  yMax: number;
  yMin: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Scales samples into the drawing area: time left to right, counts bottom to top, both lines
 * on one scale so the gap between them reads as the line's length. The scale spans the data
 * (not zero) because a room's counters are large and close together: from zero, the lines
 * would be flat at the top. A flat series gets a range of at least one so it is not divided
 * by zero, and is drawn mid-height.
 *
 * @param samples - readings, oldest first
 * @param size - the drawing area
 * @returns path data and the value range
 * @example
 * ```ts
 * const { serving, issued } = chartPaths(history, { width: 320, height: 120, padding: 4 });
 * servingPath.setAttribute('d', serving);
 * ```
 */
export function chartPaths(samples: readonly ChartSample[], size: ChartSize): ChartPaths {
  if (samples.length === 0) return { serving: '', issued: '', yMax: 0, yMin: 0 };
  const values = samples.flatMap((s) => [s.serving, s.issued]);
  let yMin = Math.min(...values);
  let yMax = Math.max(...values);
  if (yMax - yMin < 1) {
    yMin -= 1;
    yMax += 1;
  }
  const first = samples[0].at;
  const span = samples[samples.length - 1].at - first;
  const innerWidth = size.width - 2 * size.padding;
  const innerHeight = size.height - 2 * size.padding;
  const x = (at: number): number =>
    round(size.padding + (span > 0 ? ((at - first) / span) * innerWidth : innerWidth));
  const y = (value: number): number =>
    round(size.padding + (1 - (value - yMin) / (yMax - yMin)) * innerHeight);
  const path = (pick: (s: ChartSample) => number): string => {
    const points = samples.map((s) => `${x(s.at)} ${y(pick(s))}`);
    // One sample is a point; draw it as a short level line so it is visible.
    if (points.length === 1) return `M ${size.padding} ${y(pick(samples[0]))} L ${points[0]}`;
    return `M ${points.join(' L ')}`;
  };
  return { serving: path((s) => s.serving), issued: path((s) => s.issued), yMax, yMin };
}

/**
 * Appends a sample and drops the oldest beyond `limit`, so the chart shows a moving window.
 *
 * @returns a new array (the input is not changed)
 */
export function pushSample(
  samples: readonly ChartSample[],
  sample: ChartSample,
  limit: number,
): ChartSample[] {
  const next = [...samples, sample];
  return next.length > limit ? next.slice(next.length - limit) : next;
}
