/** `queue-gate serve` run from the packed install, as an integrator runs `npx queue-gate serve`. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminClient, type AdminClient } from '../../e2e/helpers/admin-client.js';
import { findFreePort } from '../../e2e/helpers/find-free-port.js';
import { untilListening, watchChild } from '../../server/helpers/child-server.js';
import type { PackedInstall } from '../../build/support/packed-install.js';

/** A running queue server. */
export interface PackedQueueServer {
  url: string;
  admin: AdminClient;
  /** Everything the server printed so far (its banner lists the pages it serves). */
  output(): string;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/** Starts the install's `bin/queue-gate.js serve` on a free port with a fresh data dir. */
export async function startPackedQueueServer(install: PackedInstall): Promise<PackedQueueServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'queue-gate-consumers-data-'));
  const adminToken = randomBytes(24).toString('base64url');
  const child = spawn(
    process.execPath,
    [join(install.packageDir, 'bin', 'queue-gate.js'), 'serve'],
    {
      cwd: install.dir,
      env: {
        ...process.env,
        PORT: String(await findFreePort()),
        HOST: '127.0.0.1',
        QUEUE_GATE_DATA_DIR: dataDir,
        QUEUE_GATE_ADMIN_TOKEN: adminToken,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const watched = watchChild(child);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await watched.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await untilListening(child, watched, { onTimeout: () => child.kill('SIGKILL') });
    return {
      url,
      admin: createAdminClient(() => url, adminToken),
      output: watched.output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
