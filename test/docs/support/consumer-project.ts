/**
 * A throwaway project in which `queue-gate` resolves to the BUILT package (its `exports`,
 * `dist/` and types, as an installed copy would), and every other import to this repository's
 * dev dependencies (react's and express's types, vue, @angular/core, …).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A consumer project on disk. */
export interface ConsumerProject {
  dir: string;
  /** Writes `source` at `path` (relative to the project) and returns the absolute path. */
  write(path: string, source: string): string;
  remove(): void;
}

/** Links each entry of `from` into `to`, scoped packages one level down. */
function linkModules(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name === '.bin' || name === 'queue-gate') continue;
    symlinkSync(join(from, name), join(to, name));
  }
}

/** Makes the project; `root` is the repository whose build is under test. */
export function consumerProject(root: string): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'queue-gate-consumer-'));
  const modules = join(dir, 'node_modules');
  linkModules(join(root, 'node_modules'), modules);
  symlinkSync(root, join(modules, 'queue-gate'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }));
  return {
    dir,
    write(path, source) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, source);
      return target;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
