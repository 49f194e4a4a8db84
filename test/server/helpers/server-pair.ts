/**
 * Two `queue-gate serve` processes sharing one Redis (a redis-server or a Cluster), configured
 * through the environment as an operator would, each with its own data directory; and the
 * requests the multi-process tests send to either of them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startChildServer } from './child-server.js';
import type { ChildServer } from './child-server.js';
import { postJson } from './test-server.js';

/** The public URL both processes are configured with (the issuer of their tokens). */
export const PAIR_PUBLIC_URL = 'http://queue.test';

/** Two running server processes; see {@link startServerPair}. */
export interface ServerPair {
  a: ChildServer;
  b: ChildServer;
  /** Kills both processes (SIGKILL) and removes their data directories. */
  stop(): Promise<void>;
}

/**
 * Starts two server processes at once, so both race to create the signing keys and the demo
 * room, as processes behind one load balancer do when deployed together.
 *
 * @param adminToken - `QUEUE_GATE_ADMIN_TOKEN` of both
 * @param env - the rest of their environment (at least where Redis is)
 */
export async function startServerPair(
  adminToken: string,
  env: Record<string, string>,
): Promise<ServerPair> {
  const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-pair-'));
  const envOf = (name: string) => ({
    QUEUE_GATE_ADMIN_TOKEN: adminToken,
    QUEUE_GATE_PUBLIC_URL: PAIR_PUBLIC_URL,
    ...env,
    QUEUE_GATE_DATA_DIR: joinPath(dataDir, name),
  });
  const started = await Promise.allSettled([
    startChildServer(envOf('a')),
    startChildServer(envOf('b')),
  ]);
  const running = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const stop = async () => {
    for (const server of running) server.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { a: running[0]!, b: running[1]!, stop };
}

/** A joined visitor as the join answer names them. */
export interface JoinedVisitor {
  ticket: string;
  seq: number;
  position: number;
}

/**
 * The requests the multi-process tests send: admin calls with `adminToken`, joins that must
 * succeed, and admission claims (their answer checked by the caller).
 */
export function pairRequests(adminToken: string) {
  return {
    /** `method` on `/admin/rooms/<path>`. */
    admin: (server: ChildServer, method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/admin/rooms/${path}`, {
        method,
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    /** Joins `room` (or rejoins with `ticket`), asserting a 200. */
    join: async (server: ChildServer, room: string, ticket?: string): Promise<JoinedVisitor> => {
      const answer = await postJson(`${server.url}/rooms/${room}/join`, ticket ? { ticket } : {});
      assert.equal(answer.status, 200, `join at ${server.url}: ${JSON.stringify(answer.json)}`);
      return answer.json as JoinedVisitor;
    },
    /** Claims admission with `ticket`. */
    admit: (server: ChildServer, room: string, ticket: string) =>
      postJson(`${server.url}/rooms/${room}/admit`, undefined, {
        Authorization: `Bearer ${ticket}`,
      }),
  };
}
