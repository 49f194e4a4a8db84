/**
 * The package as a user installs it: `npm pack` of the built repository, unpacked into a fresh
 * folder's `node_modules/queue-gate`, with its dependencies taken from this repository's
 * `node_modules` (nothing can be downloaded here). Only what `files` packs is there.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An unpacked install. */
export interface PackedInstall {
  /** The consumer folder (its `node_modules` holds the package). */
  dir: string;
  /** Where the package was unpacked. */
  packageDir: string;
  /** Paths inside the package, as `npm pack` listed them. */
  files: string[];
  /** Size of the tarball, bytes. */
  tarballBytes: number;
  remove(): void;
}

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

/**
 * Packs `root` (already built) and installs the tarball into a temporary folder, leaving out the
 * packages named in `without` (to see what a project without an optional peer gets).
 */
export function installPacked(root: string, without: readonly string[] = []): PackedInstall {
  const dir = mkdtempSync(join(tmpdir(), 'queue-gate-packed-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [packed] = JSON.parse(output) as PackResult[];
  const modules = join(dir, 'node_modules');
  const packageDir = join(modules, 'queue-gate');
  mkdirSync(packageDir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(dir, packed!.filename),
    '-C',
    packageDir,
    '--strip-components=1',
  ]);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === '.bin' || name === 'queue-gate' || without.includes(name)) continue;
    symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  return {
    dir,
    packageDir,
    files: packed!.files.map((file) => file.path),
    tarballBytes: packed!.size,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
