/**
 * A CommonJS booking backend (many Express apps still are) using the packed package, as the
 * README's Install section says it can: `require('queue-gate/verify')` on Node 20.19+, and
 * type-checked from a `.cts` file with `module: nodenext`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../consumers/support/consumer-apps.js';
import { installPacked, type PackedInstall } from './support/packed-install.js';

const run = promisify(execFile);

/** The backend as a CommonJS author writes it. */
const BACKEND = `import { requireAdmission, verifyAdmission } from 'queue-gate/verify';

export const admission = requireAdmission({
  jwksUrl: 'https://queue.example.org/.well-known/jwks.json',
  issuer: 'https://queue.example.org',
  audience: 'https://tickets.example.org',
  room: 'concert',
});
export const verify = verifyAdmission;
`;

describe('a CommonJS booking backend', () => {
  let install: PackedInstall;
  before(() => {
    install = installPacked(REPO_ROOT);
  });
  after(() => install?.remove());

  it('requires queue-gate/verify and queue-gate/server at run time', async () => {
    const script =
      "const verify = require('queue-gate/verify');" +
      "const server = require('queue-gate/server');" +
      'process.stdout.write([typeof verify.requireAdmission, typeof server.createTokenSigner].join());';
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', script], {
      cwd: install.dir,
    });
    assert.equal(stdout, 'function,function');
  });

  it('type-checks from a .cts file with module nodenext', () => {
    const file = join(install.dir, 'backend.cts');
    writeFileSync(file, BACKEND);
    const program = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.deepEqual(problems, []);
  });
});
