/**
 * A server-rendered React app made the way an integrator makes one from the packed package: the
 * README's server-rendered component (read from the installed README) rendered to HTML by
 * `renderToString` in a Node process without a DOM, and a browser bundle that hydrates it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { codeBlocks } from '../../docs/support/markdown-blocks.js';
import type { PackedInstall } from '../../build/support/packed-install.js';

const run = promisify(execFile);

/** The sentence of the README that introduces the server-rendered React snippet. */
const SSR_HEADING = 'Server-rendered React';
/** The queue server URL the README's snippets use, swapped for the test's own. */
const README_QUEUE_URL = 'https://queue.example.org';

/** The README's server-rendered component, from the installed package. */
export function readmeSsrComponent(install: PackedInstall): { source: string; name: string } {
  const readme = readFileSync(join(install.packageDir, 'README.md'), 'utf8');
  const headingLine = readme.split('\n').findIndex((line) => line.startsWith(SSR_HEADING)) + 1;
  if (headingLine === 0) throw new Error(`README.md has no paragraph starting "${SSR_HEADING}"`);
  const block = codeBlocks('README.md', readme).find(
    (candidate) => candidate.lang === 'tsx' && candidate.line > headingLine,
  );
  if (!block) throw new Error(`README.md has no tsx block after "${SSR_HEADING}"`);
  const name = /export function (\w+)/.exec(block.code)?.[1];
  if (!name) throw new Error('the README snippet exports no function component');
  return { source: block.code, name };
}

/**
 * Writes the app into `install.dir/ssr-app`, renders it in a child Node process and bundles its
 * client; returns the folder to serve (`index.html` holds the server-rendered markup).
 */
export async function buildSsrApp(
  install: PackedInstall,
  options: { queueUrl: string; room: string },
): Promise<string> {
  const app = join(install.dir, 'ssr-app');
  const site = join(app, 'site');
  mkdirSync(site, { recursive: true });
  const { source, name } = readmeSsrComponent(install);
  writeFileSync(join(app, 'gate.tsx'), source.replaceAll(README_QUEUE_URL, options.queueUrl));
  const element = `<${name} room={${JSON.stringify(options.room)}} />`;
  writeFileSync(
    join(app, 'server.tsx'),
    `import { renderToString } from 'react-dom/server';\nimport { ${name} } from './gate';\n` +
      `process.stdout.write(renderToString(${element}));\n`,
  );
  writeFileSync(
    join(app, 'client.tsx'),
    `import { hydrateRoot } from 'react-dom/client';\nimport { ${name} } from './gate';\n` +
      `hydrateRoot(document.getElementById('root')!, ${element}, {\n` +
      `  onRecoverableError: (error) => console.error('recoverable: ' + String(error)),\n});\n`,
  );
  const common = { absWorkingDir: app, bundle: true, format: 'esm', jsx: 'automatic' } as const;
  // The server bundle leaves packages to Node, as a server framework does.
  await build({
    ...common,
    entryPoints: ['server.tsx'],
    outfile: join(app, 'server.mjs'),
    platform: 'node',
    packages: 'external',
    logLevel: 'error',
  });
  await build({
    ...common,
    entryPoints: ['client.tsx'],
    outdir: join(site, 'client'),
    platform: 'browser',
    splitting: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  const { stdout } = await run(process.execPath, [join(app, 'server.mjs')], { cwd: app });
  writeFileSync(
    join(site, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Book</title></head>' +
      `<body><div id="root">${stdout}</div>` +
      '<script type="module" src="/client/client.js"></script></body></html>',
  );
  return site;
}
