/**
 * `queue-gate/react` and `queue-gate/vue` on their own: a project that loads the element from
 * the script tag (or imports `queue-gate` in another program) and only adds the typings must
 * still get the listener props with typed events, and no internal member of the element.
 * Compiled against declarations emitted from the sources as the build emits them (the published
 * `.d.ts` files keep only type imports, which is where a missing one shows).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { APP_COMPILER_OPTIONS } from '../docs/support/app-compiler-options.js';
import { consumerProject, type ConsumerProject } from '../docs/support/consumer-project.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** TSX with only `queue-gate/react`: no `import 'queue-gate'` anywhere in the program. */
const REACT_ALONE = `import type {} from 'queue-gate/react';

export const gate = (
  <queue-gate
    room="concert"
    onqueue-gate-admitted={(event) => console.log(event.admission)}
    onqueue-gate-error={(event) => console.log(event.problem.code)}
  />
);
// @ts-expect-error an internal member of the element is no prop
export const internal = <queue-gate titleNudge={undefined} />;
`;

/** The Vue global component's props with only `queue-gate/vue`. */
const VUE_ALONE = `import type {} from 'queue-gate/vue';
import type { GlobalComponents } from 'vue';

type Props = InstanceType<GlobalComponents['queue-gate']>['$props'];
export const fine: Props = {
  room: 'concert',
  onQueueGateAdmitted: (event) => console.log(event.admission),
  onQueueGateBooked: (event) => console.log(event.outcome),
};
// @ts-expect-error an internal member of the element is no prop
export const internal: Props = { titleNudge: undefined };
`;

describe('the framework typings without the element entry in the program', () => {
  let project: ConsumerProject;
  let declarations: string;
  before(() => {
    project = consumerProject(root);
    // Inside the project, so that their imports (react, vue, lit) resolve as they do in an install.
    declarations = join(project.dir, 'declarations');
    // An error elsewhere in the sources still emits; only the framework entries matter here.
    spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        ...['-p', join(root, 'tsconfig.build.json'), '--emitDeclarationOnly'],
        ...['--outDir', declarations],
      ],
      { cwd: root, stdio: 'ignore' },
    );
    assert.ok(existsSync(join(declarations, 'frameworks', 'vue.d.ts')), 'declarations emitted');
  });
  after(() => project?.remove());

  /** Diagnostics of `file` only, with the entries mapped to the emitted declarations. */
  function diagnostics(file: string): string[] {
    const program = ts.createProgram([file], {
      ...APP_COMPILER_OPTIONS,
      paths: {
        'queue-gate/react': [join(declarations, 'frameworks', 'react.d.ts')],
        'queue-gate/vue': [join(declarations, 'frameworks', 'vue.d.ts')],
      },
    });
    return ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName === file)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  }

  it('types the React listener props and leaves out internal members', () => {
    assert.deepEqual(diagnostics(project.write('react-alone.tsx', REACT_ALONE)), []);
  });

  it('types the Vue listener props and leaves out internal members', () => {
    assert.deepEqual(diagnostics(project.write('vue-alone.ts', VUE_ALONE)), []);
  });
});
