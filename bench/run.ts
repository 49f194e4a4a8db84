/**
 * `npm run bench`: runs the benchmarks and writes BENCHMARKS.md. Every figure is a ratio to a
 * baseline measured in the same run; absolute numbers are printed for information only.
 *
 * Sections so far: the Redis store. Each section is one module returning its markdown.
 */
import { writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { benchRedisStore } from './redis-store-bench.js';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? '5000');

const sections: Array<[name: string, run: () => Promise<string>]> = [
  ['redis store', () => benchRedisStore({ durationMs })],
];

const parts = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} ` +
    `(Node ${process.version}, ${process.platform}/${process.arch}). Reproduce with \`npm run bench\`; ` +
    '`BENCH_DURATION_MS` sets the measuring time per figure (default 5000).',
  '',
];
for (const [name, run] of sections) {
  console.log(`bench: ${name}...`);
  const markdown = await run();
  console.log(markdown);
  parts.push(markdown);
}
// Formatted like every other file, so `prettier --check .` (part of `npm test`) stays green.
const options = (await resolveConfig('BENCHMARKS.md')) ?? {};
await writeFile(
  'BENCHMARKS.md',
  await format(parts.join('\n'), { ...options, parser: 'markdown' }),
);
console.log('bench: wrote BENCHMARKS.md');
