import { expect } from '@open-wc/testing';
import { chartPaths, pushSample, type ChartSample } from '../../demo/chart-paths.js';

const size = { width: 100, height: 50, padding: 5 };

/** The points of path data `M x y L x y ...`. */
function points(d: string): Array<[number, number]> {
  return d
    .replace(/^M /, '')
    .split(' L ')
    .map((pair) => pair.split(' ').map(Number) as [number, number]);
}

describe('chart paths of the operator panel', () => {
  it('draws nothing without samples', () => {
    expect(chartPaths([], size)).to.deep.equal({ serving: '', issued: '', yMax: 0, yMin: 0 });
  });

  it('spans time from the left to the right edge and values from the bottom to the top', () => {
    const samples: ChartSample[] = [
      { at: 1000, serving: 100, issued: 150 },
      { at: 2000, serving: 120, issued: 180 },
      { at: 3000, serving: 140, issued: 200 },
    ];
    const paths = chartPaths(samples, size);
    expect(paths.yMin).to.equal(100);
    expect(paths.yMax).to.equal(200);
    expect(points(paths.serving)).to.deep.equal([
      [5, 45],
      [50, 37],
      [95, 29],
    ]);
    expect(points(paths.issued)).to.deep.equal([
      [5, 25],
      [50, 13],
      [95, 5],
    ]);
  });

  it('draws a flat line at mid-height instead of dividing by zero', () => {
    const paths = chartPaths(
      [
        { at: 0, serving: 7, issued: 7 },
        { at: 10, serving: 7, issued: 7 },
      ],
      size,
    );
    expect(points(paths.serving).map(([, y]) => y)).to.deep.equal([25, 25]);
    expect(paths.yMax - paths.yMin).to.equal(2);
  });

  it('draws a single reading as a visible level line ending at the right edge', () => {
    const paths = chartPaths([{ at: 5, serving: 10, issued: 20 }], size);
    expect(points(paths.serving)).to.deep.equal([
      [5, 45],
      [95, 45],
    ]);
  });

  it('keeps only the newest readings within the limit, without changing the input', () => {
    const first: ChartSample[] = [
      { at: 1, serving: 1, issued: 1 },
      { at: 2, serving: 2, issued: 2 },
    ];
    const next = pushSample(first, { at: 3, serving: 3, issued: 3 }, 2);
    expect(next.map((s) => s.at)).to.deep.equal([2, 3]);
    expect(first).to.have.length(2);
  });
});
