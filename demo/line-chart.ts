/**
 * Draws the operator panel's chart into an inline SVG that the page already holds (two paths),
 * so no chart library and no inline styles are needed.
 */
import { chartPaths, type ChartSample } from './chart-paths.js';

/** The SVG parts to draw into. */
export interface LineChartParts {
  svg: SVGSVGElement;
  serving: SVGPathElement;
  issued: SVGPathElement;
  /** Text that states the plotted range in words (the chart's accessible summary). */
  range: HTMLElement;
}

/**
 * Redraws the chart from `samples`.
 *
 * @param parts - the SVG and its paths
 * @param samples - readings, oldest first
 * @param format - number formatting for the range text
 */
export function drawLineChart(
  parts: LineChartParts,
  samples: readonly ChartSample[],
  format: (n: number) => string,
): void {
  const box = parts.svg.viewBox.baseVal;
  const paths = chartPaths(samples, { width: box.width, height: box.height, padding: 4 });
  parts.serving.setAttribute('d', paths.serving);
  parts.issued.setAttribute('d', paths.issued);
  const last = samples[samples.length - 1];
  parts.range.textContent = last
    ? `(now: serving ${format(last.serving)}, issued ${format(last.issued)}; scale ${format(Math.ceil(paths.yMin))}–${format(Math.floor(paths.yMax))})`
    : '(no readings yet)';
}
