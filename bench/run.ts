/**
 * `npm run bench`: runs every benchmark section and writes BENCHMARKS.md. Every figure is a
 * ratio to a baseline measured in the same run; absolute numbers are printed for information.
 *
 * Environment: `BENCH_DURATION_MS` (measured time per load figure, default 3000),
 * `BENCH_CONNECTIONS` (keep-alive connections of the load generator, default 32),
 * `BENCH_ROUNDS` (page loads per script in the first-render section, default 5),
 * `BENCH_ONLY=crowd` (run the sections whose name contains it; BENCHMARKS.md is then not
 * written, so a partial run never replaces the full record).
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { format, resolveConfig } from 'prettier';
import { benchBundleSizes } from './bundle-size-bench.js';
import { benchCrowd } from './crowd-bench.js';
import { benchFirstRender } from './first-render-bench.js';
import { benchHttp } from './http-bench.js';
import { benchRedisStore } from './redis-store-bench.js';
import { benchVerify } from './verify-bench.js';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? '3000');
const connections = Number(process.env.BENCH_CONNECTIONS ?? '32');
const only = process.env.BENCH_ONLY;

const sections: Array<[name: string, run: () => Promise<string> | string]> = [
  ['http', () => benchHttp({ durationMs, connections })],
  ['verify', () => benchVerify({ durationMs })],
  ['redis', () => benchRedisStore({ durationMs, connections })],
  ['crowd', () => benchCrowd()],
  ['bundles', () => benchBundleSizes()],
  ['first-render', () => benchFirstRender({ rounds: Number(process.env.BENCH_ROUNDS ?? '5') })],
];

const started = new Date();
const load = loadavg()[0]!;
const results: string[] = [];
for (const [name, run] of sections) {
  if (only && !name.includes(only)) continue;
  console.log(`bench: ${name}...`);
  const begun = performance.now();
  let markdown: string;
  try {
    markdown = await run();
  } catch (error) {
    // One missing tool (e.g. no redis-server) must not cost the other sections their figures;
    // the failure is recorded where its figures would be, and the run exits non-zero.
    process.exitCode = 1;
    const message = error instanceof Error ? error.message : String(error);
    markdown = [`## Section "${name}" failed`, '', '```text', message.trim(), '```', ''].join('\n');
  }
  console.log(markdown);
  console.log(`bench: ${name} took ${((performance.now() - begun) / 1000).toFixed(0)} s`);
  results.push(markdown);
}

if (only) {
  console.log('bench: BENCH_ONLY set, BENCHMARKS.md left as it was');
} else {
  const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0);
  const document = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (reproduce with that command; \`BENCH_DURATION_MS\` and ` +
      `\`BENCH_CONNECTIONS\` change the load, defaults ${durationMs} and ${connections}) on ` +
      `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${seconds} s.`,
    '',
    `Machine: ${availableParallelism()} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `Node ${process.version}, ${process.platform}/${process.arch}; load average ` +
      `${load.toFixed(1)} when the run started. Load is generated on 127.0.0.1 only. Every ratio ` +
      `compares two figures of this run, measured in alternating slices where both are servers; ` +
      `even so, on a small or busy machine (the server, its baseline and the load generator share ` +
      `the CPUs) they move by tens of percent from run to run, which is why no test asserts a ` +
      `timing. The crowd section is a deterministic simulation and does not vary.`,
    '',
    ...results,
  ].join('\n');
  // Formatted like every other file, so `prettier --check .` stays green.
  const options = (await resolveConfig('BENCHMARKS.md')) ?? {};
  await writeFile('BENCHMARKS.md', await format(document, { ...options, parser: 'markdown' }));
  console.log('bench: wrote BENCHMARKS.md');
}
