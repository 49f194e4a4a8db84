/**
 * Every TypeScript block in README.md and docs/*.md compiles against the built package, as an
 * integrator who pastes it would compile it (strict, React 19 JSX, bundler resolution); Vue
 * blocks' scripts compile the same way and their templates through Vue's compiler.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { compileTemplate, parse } from 'vue/compiler-sfc';
import { APP_COMPILER_OPTIONS } from './support/app-compiler-options.js';
import { consumerProject, type ConsumerProject } from './support/consumer-project.js';
import { projectCodeBlocks, type CodeBlock } from './support/markdown-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const blocks = projectCodeBlocks(root);

/** A block as a module file: TS blocks as they are, a Vue block's `<script>` content. */
function moduleSource(block: CodeBlock): string {
  if (block.lang !== 'vue') return block.code;
  const { descriptor } = parse(block.code);
  return (descriptor.scriptSetup ?? descriptor.script)?.content ?? '';
}

const extension = (block: CodeBlock) => (block.lang === 'tsx' ? 'tsx' : 'ts');
const label = (block: CodeBlock) => `${block.file}:${block.line} (${block.lang})`;

describe('code blocks of the README and docs', () => {
  let project: ConsumerProject;
  const files = new Map<string, CodeBlock>();

  before(() => {
    assert.ok(existsSync(`${root}/dist/index.d.ts`), 'run the build first (npm run build)');
    project = consumerProject(root);
    blocks
      .filter((block) => ['ts', 'tsx', 'vue'].includes(block.lang))
      .forEach((block, index) => {
        // `export {}` keeps each block a module of its own, as it is in the reader's app.
        const source = `${moduleSource(block)}\nexport {};\n`;
        files.set(project.write(`block-${index}.${extension(block)}`, source), block);
      });
  });

  after(() => project?.remove());

  it('finds the TypeScript, TSX and Vue blocks', () => {
    for (const lang of ['ts', 'tsx', 'vue']) {
      assert.ok(
        blocks.some((block) => block.lang === lang),
        `no ${lang} block found`,
      );
    }
  });

  it('type-checks every TypeScript, TSX and Vue script block against the built package', () => {
    const program = ts.createProgram([...files.keys()], APP_COMPILER_OPTIONS);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const block = files.get(diagnostic.file!.fileName)!;
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        const where = block.lang === 'vue' ? label(block) : `${block.file}:${block.line + line}`;
        return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
    const elsewhere = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => !diagnostic.file || !files.has(diagnostic.file.fileName));
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
    assert.equal(elsewhere.length, 0, 'diagnostics outside the blocks (settings or types)');
  });

  it("compiles every Vue block's template with <queue-gate> as a custom element", () => {
    for (const block of blocks.filter((candidate) => candidate.lang === 'vue')) {
      const { descriptor, errors } = parse(block.code);
      assert.deepEqual(errors, [], label(block));
      assert.ok(descriptor.template, `${label(block)} has no template`);
      const compiled = compileTemplate({
        source: descriptor.template.content,
        filename: 'block.vue',
        id: 'block',
        compilerOptions: { isCustomElement: (tag) => tag === 'queue-gate' },
      });
      assert.deepEqual(compiled.errors, [], label(block));
      assert.doesNotMatch(compiled.code, /resolveComponent\("queue-gate"\)/, label(block));
    }
  });
});
