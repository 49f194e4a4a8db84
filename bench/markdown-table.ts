/** Small formatting helpers shared by the bench sections of BENCHMARKS.md. */

/**
 * A GitHub-flavoured markdown table.
 *
 * @example
 * ```ts
 * markdownTable(['setup', 'req/s'], [['bare', '1200']]);
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `value / base` as `0.85x` (two significant digits below 0.1), or `n/a` without a base. */
export function ratio(value: number, base: number): string {
  if (!(base > 0) || !Number.isFinite(value)) return 'n/a';
  const r = value / base;
  return `${r >= 0.1 || r === 0 ? r.toFixed(2) : r.toPrecision(2)}x`;
}

/** A whole number with thin grouping (`1,234,567`). */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** "met" or "not met" in bold, for a goal line. */
export function verdict(met: boolean): string {
  return met ? '**met**' : '**not met**';
}
