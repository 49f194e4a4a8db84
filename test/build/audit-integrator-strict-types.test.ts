/**
 * The README's promise to TypeScript users, held against the packed package: every TS, TSX and
 * Vue-script block of the README and docs compiles, as pasted, under the strictest settings a
 * consumer may pick (`exactOptionalPropertyTypes`, `verbatimModuleSyntax`, no `skipLibCheck`)
 * with `node16`/`nodenext` as well as `bundler` resolution, and the legacy `node10` resolution
 * the README says not to use fails as it says (so the check is not vacuous).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { parse } from 'vue/compiler-sfc';
import { codeBlocks, type CodeBlock } from '../docs/support/markdown-blocks.js';
import { installPacked, type PackedInstall } from './support/packed-install.js';
import { REPO_ROOT } from '../consumers/support/consumer-apps.js';

/** Documents an npm user reads, as packed. */
const DOCUMENTS = ['README.md', 'docs/verify.md', 'docs/cross-origin.md', 'docs/cdn.md'];

/** The strictest settings a consumer might use, for one module resolution. */
function strictOptions(resolution: 'nodenext' | 'bundler' | 'node10'): ts.CompilerOptions {
  const nodeNext = resolution === 'nodenext';
  return {
    target: ts.ScriptTarget.ES2022,
    module: nodeNext ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
    moduleResolution: {
      nodenext: ts.ModuleResolutionKind.NodeNext,
      bundler: ts.ModuleResolutionKind.Bundler,
      node10: ts.ModuleResolutionKind.Node10,
    }[resolution],
    jsx: ts.JsxEmit.ReactJSX,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
  };
}

/** A block as a module file: TS as it is, a Vue block's `<script>` content. */
function moduleSource(block: CodeBlock): string {
  if (block.lang !== 'vue') return block.code;
  const { descriptor } = parse(block.code);
  return (descriptor.scriptSetup ?? descriptor.script)?.content ?? '';
}

describe('the docs for npm users compile with strict consumer settings', () => {
  let install: PackedInstall;
  const files = new Map<string, CodeBlock>();

  before(() => {
    install = installPacked(REPO_ROOT);
    writeFileSync(join(install.dir, 'package.json'), '{ "type": "module", "private": true }');
    const folder = join(install.dir, 'blocks');
    mkdirSync(folder);
    for (const document of DOCUMENTS) {
      const text = readFileSync(join(install.packageDir, document), 'utf8');
      for (const block of codeBlocks(document, text)) {
        if (!['ts', 'tsx', 'vue'].includes(block.lang)) continue;
        const file = join(folder, `block-${files.size}.${block.lang === 'tsx' ? 'tsx' : 'ts'}`);
        writeFileSync(file, `${moduleSource(block)}\nexport {};\n`);
        files.set(file, block);
      }
    }
  });

  after(() => install?.remove());

  /** Each diagnostic as `document:line: message`. */
  function problems(resolution: 'nodenext' | 'bundler' | 'node10'): string[] {
    const program = ts.createProgram([...files.keys()], strictOptions(resolution));
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const block = diagnostic.file && files.get(diagnostic.file.fileName);
      if (!block) return `${diagnostic.file?.fileName ?? '(options)'}: ${message}`;
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${block.file}:${block.line + line}: ${message}`;
    });
  }

  it('finds blocks of every kind in those documents', () => {
    const kinds = new Set([...files.values()].map((block) => block.lang));
    assert.deepEqual([...kinds].sort(), ['ts', 'tsx', 'vue']);
    assert.ok(files.size >= 12, `only ${files.size} blocks`);
  });

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`compiles every block with moduleResolution ${resolution}`, () => {
      const found = problems(resolution);
      assert.deepEqual(found, [], `\n${found.join('\n')}`);
    });
  }

  it('fails with the legacy node10 resolution, as the README warns', () => {
    const found = problems('node10');
    assert.ok(
      found.some((problem) => /Cannot find module 'queue-gate\/(react|verify|core)'/.test(problem)),
      found.join('\n'),
    );
  });
});
