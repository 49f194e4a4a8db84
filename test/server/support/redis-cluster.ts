/**
 * Starts a real, throwaway Redis Cluster of three masters (no replicas) on free loopback ports
 * for the Cluster tests, and tears it down again.
 *
 * Why a real Cluster: slot routing, `CROSSSLOT` refusals and `MOVED` redirects only happen on
 * one; a single redis-server accepts any mix of keys in a script or pipeline. Why never skip:
 * as with `redis-server.ts`, a missing binary fails with a message that says how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './redis-server.js';

/** A running test Cluster. */
export interface TestRedisCluster {
  /** The seed list as `QUEUE_GATE_REDIS_URL` takes it: `redis://127.0.0.1:P1,redis://...`. */
  url: string;
  ports: number[];
  /** A Cluster client for reading and preparing keys directly. */
  client: Cluster;
  /** Stops every node and removes the temp dir (node configs). */
  stop: () => Promise<void>;
}

const REDIS_BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';
const MASTERS = 3;
const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

function requireBinary(binary: string, variable: string): void {
  const found = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error(
      `The Redis Cluster tests need a real ${binary} and "${binary}" could not be run ` +
        `(${found.error?.message ?? found.stderr}). Install it (e.g. "apt-get install redis-server", ` +
        `which ships redis-cli too, or "brew install redis") or point ${variable} at the binary.`,
    );
  }
}

/** Resolves once every node answers `CLUSTER INFO` with `cluster_state:ok`. */
async function waitForClusterOk(ports: number[], output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (const port of ports) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    probe.on('error', () => {});
    try {
      for (;;) {
        try {
          if (probe.status === 'wait' || probe.status === 'end') await probe.connect();
          const info = String(await probe.call('CLUSTER', 'INFO'));
          if (info.includes('cluster_state:ok')) break;
        } catch {
          // Not up yet: keep polling until the deadline.
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Redis Cluster node ${port} never reported cluster_state:ok:\n${output()}`,
          );
        }
        await sleep(50);
      }
    } finally {
      probe.disconnect();
    }
  }
}

/**
 * Starts three `redis-server --cluster-enabled yes` nodes in a temp dir, joins them with
 * `redis-cli --cluster create ... --cluster-replicas 0`, and waits for `cluster_state:ok`.
 */
export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  requireBinary(REDIS_BINARY, 'REDIS_SERVER_BIN');
  requireBinary(REDIS_CLI, 'REDIS_CLI_BIN');
  const dir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-cluster-'));
  const children: ChildProcess[] = [];
  let output = '';
  const record = (chunk: Buffer) => (output += chunk.toString());
  const ports: number[] = [];
  const stopNodes = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    while (ports.length < MASTERS) {
      const port = await freePort();
      // A cluster node also listens on port + 10000 (the cluster bus), which must be free too.
      if (port + 10_000 <= 65_535 && !ports.includes(port)) ports.push(port);
    }
    for (const port of ports) {
      const child = spawn(
        REDIS_BINARY,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          joinPath(dir, `nodes-${port}.conf`),
          '--dir',
          dir,
          '--appendonly',
          'no',
          '--save',
          '',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout!.on('data', record);
      child.stderr!.on('data', record);
      children.push(child);
    }
    await waitForPing(ports, () => output);
    const created = spawnSync(
      REDIS_CLI,
      [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (created.status !== 0) {
      throw new Error(
        `redis-cli --cluster create failed (${created.status}):\n${created.stdout}${created.stderr}\n${output}`,
      );
    }
    await waitForClusterOk(ports, () => output);
  } catch (error) {
    await stopNodes();
    throw error;
  }
  const client = new Cluster(
    ports.map((port) => ({ host: '127.0.0.1', port })),
    { redisOptions: { maxRetriesPerRequest: 1 } },
  );
  client.on('error', () => {});
  return {
    url: ports.map((port) => `redis://127.0.0.1:${port}`).join(','),
    ports,
    client,
    async stop() {
      client.disconnect();
      await stopNodes();
    },
  };
}

/** Resolves once every node answers PING (before the cluster is formed). */
async function waitForPing(ports: number[], output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    for (;;) {
      const ping = spawnSync(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), 'PING'], {
        encoding: 'utf8',
      });
      if (ping.stdout?.trim() === 'PONG') break;
      if (Date.now() > deadline) {
        throw new Error(`redis-server did not answer PING on port ${port}:\n${output()}`);
      }
      await sleep(50);
    }
  }
}
