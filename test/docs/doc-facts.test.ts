/**
 * Facts of README.md and docs/*.md that an integrator copies and that the code decides: every
 * relative link (and `#anchor`) reaches a file and heading of the repository, every environment
 * variable the CLI reads has a row in both environment tables, and the body size the docs quote
 * for `LIMITS.maxBodyBytes` is the limit.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LIMITS } from '../../src/protocol/limits.js';
import { projectDocuments, prose } from './support/markdown-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const documents = projectDocuments(root).map((path) => ({
  path,
  name: relative(root, path),
  text: readFileSync(path, 'utf8'),
}));

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of prose(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(slug(heading[1]!));
  }
  return anchors;
}

describe('facts of the README and docs', () => {
  it('every relative link reaches a file of the repository, and its anchor a heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const doc of documents) {
      for (const match of prose(doc.text).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
        checked += 1;
        const [file = '', anchor] = target.split('#');
        const path = file === '' ? doc.path : resolve(dirname(doc.path), file);
        if (!existsSync(path)) {
          broken.push(`${doc.name}: ${target} (no such file)`);
          continue;
        }
        if (anchor === undefined || statSync(path).isDirectory()) continue;
        if (!anchorsOf(readFileSync(path, 'utf8')).has(anchor)) {
          broken.push(`${doc.name}: ${target} (no heading #${anchor})`);
        }
      }
    }
    assert.ok(checked > 20, `only ${checked} relative links found`);
    assert.deepEqual(broken, []);
  });

  it('documents every environment variable the CLI reads, in both environment tables', () => {
    const cli = readFileSync(join(root, 'src/server/cli.ts'), 'utf8');
    const read = new Set([...cli.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    assert.ok(read.has('QUEUE_GATE_ADMIN_TOKEN') && read.has('PORT'), [...read].join(', '));
    const missing: string[] = [];
    for (const name of ['README.md', 'docs/server.md']) {
      const text = readFileSync(join(root, name), 'utf8');
      for (const variable of read) {
        if (!text.includes(`| \`${variable}\``)) missing.push(`${name}: ${variable}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('quotes LIMITS.maxBodyBytes as the limit it is', () => {
    const kib = LIMITS.maxBodyBytes / 1024;
    const quoted: string[] = [];
    for (const doc of documents) {
      const text = doc.text.replace(/\s+/g, ' ');
      const near = /(\d+) KiB \(`LIMITS\.maxBodyBytes`\)|`LIMITS\.maxBodyBytes` \((\d+) KiB/g;
      for (const match of text.matchAll(near)) {
        quoted.push(`${doc.name}: ${match[1] ?? match[2]} KiB`);
      }
    }
    assert.ok(quoted.length >= 2, `expected the docs to quote the limit: ${quoted.join('; ')}`);
    assert.deepEqual(
      quoted.filter((entry) => !entry.endsWith(` ${kib} KiB`)),
      [],
      `LIMITS.maxBodyBytes is ${kib} KiB`,
    );
  });
});
