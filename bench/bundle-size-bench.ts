/**
 * The bundle-size section of BENCHMARKS.md: the script tag's first load and each chunk it loads
 * on demand as `npm run build` makes them, "everything" (first load and every chunk), the old
 * single file (built here), and, built here with esbuild into a temp dir, the element entry
 * without Lit (what an npm user adds on top of their own Lit) and the framework-free core
 * alone; Lit alone for reference.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildSingleFile } from './first-render-bench.js';
import { markdownTable, ratio } from './markdown-table.js';

const SCRIPT_TAG_BUNDLE = 'dist/queue-gate.min.js';
const ESM_TWIN = 'dist/queue-gate.esm.js';
/** The first load's budget that the build enforces (rollup.config.mjs), in gzip bytes. */
const FIRST_LOAD_GOAL = 14 * 1024;

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

const sum = (all: Sizes[]): Sizes => ({
  raw: all.reduce((total, sizes) => total + sizes.raw, 0),
  gzip: all.reduce((total, sizes) => total + sizes.gzip, 0),
  brotli: all.reduce((total, sizes) => total + sizes.brotli, 0),
});

/** The chunks beside the script tag that load on demand (`dist/queue-gate-*.js`). */
async function lazyChunks(): Promise<Array<[name: string, sizes: Sizes]>> {
  const names = (await readdir('dist')).filter((file) => /^queue-gate-.+\.js$/.test(file));
  return Promise.all(
    names.sort().map(async (name) => [name, sizesOf(await readFile(join('dist', name)))] as const),
  ) as Promise<Array<[string, Sizes]>>;
}

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
    // What no first waiting screen can do without, before a line of its own: Lit's runtime as
    // the element uses it (`LitElement`, `html`, `css`) and the engine that joins and polls.
    const floor = sizesOf(
      await bundle(
        dir,
        'floor',
        {
          contents:
            "export { LitElement, html, css, nothing } from 'lit';\n" +
            "export { createQueueEngine } from './src/core/queue-engine.ts';\n",
        },
        [],
      ),
    );
    if (!existsSync(SCRIPT_TAG_BUNDLE) || !existsSync(ESM_TWIN)) {
      throw new Error(`${SCRIPT_TAG_BUNDLE} is missing: run \`npm run build\` first.`);
    }
    const scriptTag = sizesOf(await readFile(SCRIPT_TAG_BUNDLE));
    const esmTwin = sizesOf(await readFile(ESM_TWIN));
    const chunks = await lazyChunks();
    await buildSingleFile(join(dir, 'single'));
    const singleFile = sizesOf(await readFile(join(dir, 'single', 'queue-gate.min.js')));
    const row = (name: string, sizes: Sizes) => [
      name,
      kb(sizes.raw),
      kb(sizes.gzip),
      kb(sizes.brotli),
      ratio(sizes.gzip, singleFile.gzip),
    ];
    return [
      '## Bundle sizes',
      '',
      `The script tag's files are \`dist/\` as \`npm run build\` left them (Rollup + terser, ` +
        `Lit inlined): the first load, then each chunk it fetches from beside itself only when ` +
        `a visitor needs it. The old single file (every language and screen inlined, as ` +
        `before the split) is built here with the same plugins; the other rows are built here ` +
        `with esbuild (minified ESM, \`production\` condition). gzip level 9, brotli quality ` +
        `11; the ratio is gzip size against the old single file.`,
      '',
      markdownTable(
        ['bundle', 'minified', 'gzip', 'brotli', 'vs single file (gzip)'],
        [
          row('**first load**, script tag (`queue-gate.min.js`, Lit inlined)', scriptTag),
          row('first load, ESM twin (`queue-gate.esm.js`)', esmTwin),
          ...chunks.map(([name, sizes]) => row(`on demand: \`${name}\``, sizes)),
          row(
            '**everything**: first load + every chunk',
            sum([scriptTag, ...chunks.map(([, c]) => c)]),
          ),
          row('old single file (baseline)', singleFile),
          row('element entry without Lit (`src/index.ts`, Lit external)', element),
          row('core alone (`src/core/index.ts`)', core),
          row('Lit alone, for reference (`lit` + decorators)', litAlone),
          row('floor: Lit as the element uses it + the engine (`createQueueEngine`)', floor),
        ],
      ),
      '',
      `Goal: a first load of at most ${kb(FIRST_LOAD_GOAL)} gzip including Lit: ` +
        `${scriptTag.gzip <= FIRST_LOAD_GOAL ? '**met**' : '**not met**'} ` +
        `(${kb(scriptTag.gzip)}); the build's budget holds the first load at its measured size. ` +
        `The floor row is what any first waiting screen needs before its own markup, strings ` +
        `and styles: Lit's runtime and the engine that joins, polls, keeps the ticket and ` +
        `coordinates the tabs. ${
          floor.gzip > FIRST_LOAD_GOAL
            ? `At ${kb(floor.gzip)} it is above the goal by itself, so the goal cannot be met by ` +
              `moving screens and strings into chunks: it takes a smaller engine on the first ` +
              `screen (its happy path first, failures, identity, admission and tab hand-over ` +
              `after) or a renderer lighter than Lit.`
            : `At ${kb(floor.gzip)} it leaves ${kb(FIRST_LOAD_GOAL - floor.gzip)} for the ` +
              `first screen itself.`
        }`,
      '',
    ].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
