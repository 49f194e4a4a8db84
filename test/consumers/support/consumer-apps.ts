/**
 * The consumer apps, made from the packed package the way an integrator makes them: `npm pack`,
 * the tarball unpacked into a fresh folder's `node_modules`, the fixtures copied beside it, the
 * React app type-checked strictly, and both apps built with Vite. Built once per run.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { installPacked, type PackedInstall } from '../../build/support/packed-install.js';

const run = promisify(execFile);

/** The repository root (this file is `test/consumers/support/`). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/** What the consumer tests serve and start. */
export interface ConsumerApps {
  install: PackedInstall;
  /** Vite's output of each app. */
  reactDist: string;
  vueDist: string;
  /** The static site's folder, with the package's script tag files beside its pages. */
  staticSite: string;
  /** The booking backend module, where it resolves `queue-gate/verify` from the install. */
  bookingBackend: string;
}

/** Runs a binary of the install's `node_modules` with Node, in `cwd`; rejects with its output. */
async function runTool(install: PackedInstall, tool: string, args: string[], cwd: string) {
  try {
    await run(process.execPath, [join(install.dir, 'node_modules', tool), ...args], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`);
  }
}

/**
 * Packs the built repository and builds the apps from it.
 *
 * @throws Error telling to build first when `dist/` is missing, or with a tool's output
 */
export async function buildConsumerApps(): Promise<ConsumerApps> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'queue-gate.min.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  }
  const install = installPacked(REPO_ROOT);
  try {
    for (const name of ['react-app', 'vue-app', 'static-site', 'booking-backend.mjs']) {
      cpSync(join(FIXTURES, name), join(install.dir, name), { recursive: true });
    }
    const app = (name: string) => join(install.dir, name);
    const staticSite = app('static-site');
    // As docs/cdn.md says to publish it: the script with the chunks it loads from beside it.
    const dist = join(install.packageDir, 'dist');
    for (const file of readdirSync(dist).filter((name) => /^queue-gate.*\.js$/.test(name))) {
      copyFileSync(join(dist, file), join(staticSite, file));
    }
    const vite = join('vite', 'bin', 'vite.js');
    await Promise.all([
      // Strict, as the README promises: `<queue-gate>` in TSX through `queue-gate/react`.
      runTool(install, join('typescript', 'bin', 'tsc'), ['-p', '.'], app('react-app')),
      runTool(install, vite, ['build'], app('react-app')),
      runTool(install, vite, ['build'], app('vue-app')),
    ]);
    return {
      install,
      reactDist: join(app('react-app'), 'dist'),
      vueDist: join(app('vue-app'), 'dist'),
      staticSite,
      bookingBackend: app('booking-backend.mjs'),
    };
  } catch (error) {
    install.remove();
    throw error;
  }
}
