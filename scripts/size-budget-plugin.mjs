// Fails the build when a CDN bundle grows past its gzip budget, and prints gzip and brotli
// sizes of each so a size change is seen in the same commit that causes it.
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** @param {number} bytes */
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;

/**
 * @param {Record<string, number>} budgets gzip budget in bytes per output file name
 */
export function sizeBudget(budgets) {
  return {
    name: 'size-budget',
    generateBundle(_options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type !== 'chunk') continue;
        const source = Buffer.from(output.code);
        const gzip = gzipSync(source, { level: 9 }).length;
        const brotli = brotliCompressSync(source, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
        }).length;
        const budget = budgets[fileName];
        const verdict = budget === undefined ? '' : ` (budget ${kb(budget)} gzip)`;
        console.log(
          `  ${fileName}: ${kb(source.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli${verdict}`,
        );
        if (budget !== undefined && gzip > budget) {
          this.error(`${fileName} is ${kb(gzip)} gzip, over its budget of ${kb(budget)}.`);
        }
      }
    },
  };
}
