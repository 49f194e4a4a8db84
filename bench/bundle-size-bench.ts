/**
 * The bundle-size section of BENCHMARKS.md: the script-tag bundle as `npm run build` makes it,
 * and, built here with esbuild into a temp dir, the element entry without Lit (what an npm user
 * adds on top of their own Lit) and the framework-free core alone; Lit alone for reference.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { markdownTable, ratio } from './markdown-table.js';

const SCRIPT_TAG_BUNDLE = 'dist/queue-gate.min.js';

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

const sizesOf = (code: Buffer): Sizes => ({
  raw: code.length,
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** Bundles `entry` (a path, or `{ contents }` resolved from here) minified for browsers. */
async function bundle(
  dir: string,
  name: string,
  entry: string | { contents: string },
  external: string[],
) {
  const outfile = join(dir, `${name}.js`);
  await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: process.cwd(), loader: 'js' } }),
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2021',
    // `production` drops Lit's dev-mode code, as the CDN build does.
    conditions: ['production', 'browser'],
    external,
    tsconfig: 'tsconfig.json',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return readFile(outfile);
}

/**
 * Measures the bundles and returns their section of BENCHMARKS.md.
 *
 * @example
 * ```ts
 * const markdown = await benchBundleSizes();
 * ```
 */
export async function benchBundleSizes(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'queue-gate-bundles-'));
  try {
    const lit = ['lit', 'lit/*', '@lit/*', '@lit-labs/*'];
    const element = sizesOf(await bundle(dir, 'element', 'src/index.ts', lit));
    const core = sizesOf(await bundle(dir, 'core', 'src/core/index.ts', []));
    const litAlone = sizesOf(
      await bundle(
        dir,
        'lit',
        { contents: "export * from 'lit';\nexport * from 'lit/decorators.js';\n" },
        [],
      ),
    );
    const built = existsSync(SCRIPT_TAG_BUNDLE);
    const scriptTag = built
      ? sizesOf(await readFile(SCRIPT_TAG_BUNDLE))
      : sizesOf(await bundle(dir, 'auto', 'src/auto.ts', []));
    const row = (name: string, sizes: Sizes) => [
      name,
      kb(sizes.raw),
      kb(sizes.gzip),
      kb(sizes.brotli),
      ratio(sizes.gzip, scriptTag.gzip),
    ];
    return [
      '## Bundle sizes',
      '',
      built
        ? `The script-tag bundle is \`${SCRIPT_TAG_BUNDLE}\` as \`npm run build\` left it (Rollup + ` +
          `terser, Lit inlined); the others are built here with esbuild (minified ESM, ` +
          `\`production\` condition).`
        : `\`${SCRIPT_TAG_BUNDLE}\` was not built, so the script-tag row is esbuild's bundle of ` +
          `\`src/auto.ts\` (run \`npm run build\` first for the shipped file).`,
      'gzip level 9, brotli quality 11; the ratio is gzip size against the script-tag bundle.',
      '',
      markdownTable(
        ['bundle', 'minified', 'gzip', 'brotli', 'vs script tag (gzip)'],
        [
          row('script tag (`queue-gate.min.js`, Lit inlined) (baseline)', scriptTag),
          row('element entry without Lit (`src/index.ts`, Lit external)', element),
          row('core alone (`src/core/index.ts`)', core),
          row('Lit alone, for reference (`lit` + decorators)', litAlone),
        ],
      ),
      '',
    ].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
