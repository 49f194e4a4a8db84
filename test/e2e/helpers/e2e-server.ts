/**
 * One real server for one test: a free port, a temporary data dir, a known admin token, and
 * cleanup registered on the test itself so it runs whether the test passes or fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createAdminClient } from './admin-client.js';
import type { AdminClient } from './admin-client.js';
import { findFreePort } from './find-free-port.js';
import { startQueueGateProcess } from './queue-gate-process.js';
import type { QueueGateProcess } from './queue-gate-process.js';

/** A server owned by one test. */
export interface E2eServer {
  /** Base URL; the same across restarts (same port). */
  readonly url: string;
  readonly admin: AdminClient;
  /** The current process. */
  readonly process: QueueGateProcess;
  /** Crashes the server: SIGKILL, so nothing is flushed on the way out. */
  crash(): Promise<void>;
  /** Starts the server again on the same port with the same data dir and admin token. */
  restart(): Promise<void>;
}

/**
 * Starts `queue-gate serve` for test `t`; the process is killed and its data dir removed when
 * the test ends.
 *
 * @example
 * ```ts
 * it('…', async (t) => {
 *   const server = await startE2eServer(t);
 *   await server.admin.createStillRoom('r1');
 * });
 * ```
 */
export async function startE2eServer(t: TestContext): Promise<E2eServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'queue-gate-e2e-'));
  const adminToken = randomBytes(24).toString('base64url');
  const port = await findFreePort();
  let current: QueueGateProcess | null = null;
  t.after(async () => {
    await current?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });
  const start = async () => {
    current = await startQueueGateProcess({ port, dataDir, adminToken });
  };
  await start();
  const url = current!.url;
  return {
    url,
    admin: createAdminClient(() => url, adminToken),
    get process() {
      return current!;
    },
    async crash() {
      await current!.kill('SIGKILL');
    },
    restart: start,
  };
}
