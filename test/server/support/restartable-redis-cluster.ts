/**
 * A throwaway three-master Redis Cluster whose nodes can be killed (`SIGKILL`) and started
 * again one at a time, as an operator loses and restarts one machine of a Cluster. Each node
 * keeps its node config and an append-only file in a temp dir, so a restarted node comes back
 * with its slots and its keys.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { freePort } from './redis-server.js';

/** A running Cluster with restartable nodes. */
export interface RestartableRedisCluster {
  /** The seed list as `QUEUE_GATE_REDIS_URL` takes it. */
  url: string;
  ports: number[];
  /** Kills the node on `port` with SIGKILL and waits until it is gone. */
  kill(port: number): Promise<void>;
  /** Starts the node on `port` again and waits until the Cluster reports `ok` there. */
  restart(port: number): Promise<void>;
  /** The port of the master that holds `key`'s slot. */
  ownerOf(key: string): number;
  stop(): Promise<void>;
}

const REDIS_BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';
const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** Runs redis-cli against `port` and returns its trimmed output ('' when it fails). */
function cli(port: number, ...args: string[]): string {
  const run = spawnSync(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return run.status === 0 ? run.stdout.trim() : '';
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Starts the Cluster (about 4 s). */
export async function startRestartableRedisCluster(): Promise<RestartableRedisCluster> {
  const dir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-restartable-cluster-'));
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = await freePort();
    // Each node also listens on port + 10000, its cluster bus.
    if (port + 10_000 <= 65_535 && !ports.includes(port)) ports.push(port);
  }
  const nodes = new Map<number, ChildProcess>();
  const launch = (port: number) => {
    const node = spawn(
      REDIS_BINARY,
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
        ...['--appendonly', 'yes', '--appendfilename', `append-${port}.aof`],
        ...['--appenddirname', `aof-${port}`],
      ],
      { stdio: 'ignore' },
    );
    nodes.set(port, node);
  };
  const kill = async (port: number) => {
    const node = nodes.get(port);
    if (!node || node.exitCode !== null || node.signalCode !== null) return;
    const exited = new Promise<void>((done) => node.once('exit', () => done()));
    node.kill('SIGKILL');
    await exited;
  };
  const stop = async () => {
    await Promise.all(ports.map(kill));
    await rm(dir, { recursive: true, force: true });
  };
  const clusterOk = (port: number) => cli(port, 'CLUSTER', 'INFO').includes('cluster_state:ok');
  try {
    for (const port of ports) launch(port);
    for (const port of ports)
      await until(`node ${port} answers PING`, () => cli(port, 'PING') === 'PONG');
    const created = spawnSync(
      REDIS_CLI,
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`)].concat(
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ),
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create: ${created.stdout}`);
    for (const port of ports) await until(`node ${port} reports ok`, () => clusterOk(port));
  } catch (error) {
    await stop();
    throw error;
  }
  // Slot ranges of each master, read once: the layout does not change while the tests run.
  const ranges = cli(ports[0]!, 'CLUSTER', 'NODES')
    .split('\n')
    .flatMap((line) => {
      const fields = line.split(' ');
      const port = Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
      return fields.slice(8).map((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return { port, from: from!, to: to! };
      });
    });
  return {
    url: ports.map((port) => `redis://127.0.0.1:${port}`).join(','),
    ports,
    kill,
    async restart(port) {
      launch(port);
      await until(`node ${port} reports ok after a restart`, () => clusterOk(port));
    },
    ownerOf(key) {
      const slot = Number(cli(ports[0]!, 'CLUSTER', 'KEYSLOT', key));
      const owner = ranges.find((range) => slot >= range.from && slot <= range.to);
      if (!owner) throw new Error(`no master holds slot ${slot}`);
      return owner.port;
    },
    stop,
  };
}
