/**
 * The framework typings shipped as `queue-gate/react` and `queue-gate/vue`, compiled in a
 * consumer project against the built package: correct usage type-checks, and every
 * `@ts-expect-error` line (a wrong property type, an unknown event, an internal property)
 * meets its error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { APP_COMPILER_OPTIONS } from './support/app-compiler-options.js';
import { consumerProject, type ConsumerProject } from './support/consumer-project.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

/** Diagnostics of `file` compiled alone in the consumer project, as text. */
function diagnostics(path: string): string[] {
  const program = ts.createProgram([path], APP_COMPILER_OPTIONS);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('framework typings from the built package', () => {
  let project: ConsumerProject;
  before(() => {
    project = consumerProject(root);
  });
  after(() => project?.remove());

  it('types <queue-gate> in React 19 TSX: properties, ref, listener props', () => {
    assert.deepEqual(diagnostics(project.write('react-usage.tsx', fixture('react-usage.tsx'))), []);
  });

  it('types <queue-gate> as a Vue global component: properties and listeners', () => {
    assert.deepEqual(diagnostics(project.write('vue-usage.ts', fixture('vue-usage.ts'))), []);
  });

  it('leaves React without <queue-gate> when queue-gate/react is not imported', () => {
    const source = `import 'queue-gate';\nexport const gate = <queue-gate room="a" />;\n`;
    const found = diagnostics(project.write('plain.tsx', source));
    assert.ok(
      found.some((message) => message.includes("Property 'queue-gate' does not exist")),
      `expected React's JSX to refuse the tag: ${found.join('; ')}`,
    );
  });
});
