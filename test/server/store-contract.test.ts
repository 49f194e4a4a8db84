/**
 * Runs the store contract (`store-contract/suite.ts`) against every store: the memory store,
 * the memory store with its file journal, a real redis-server and a real three-master Redis
 * Cluster (never skipped: a missing redis-server fails with an install hint). Also kills a
 * process writing to the journal with SIGKILL mid-burst and checks every acknowledged change.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createFilePersistence } from '../../src/server/store/file-persistence.js';
import { MemoryStore } from '../../src/server/store/memory-store.js';
import { RedisStore } from '../../src/server/store/redis-store.js';
import type { QueueStore } from '../../src/server/store/queue-store.js';
import { describeStoreContract, T0 } from './store-contract/suite.js';
import type { StoreHandle } from './store-contract/suite.js';
import { startTestRedisCluster } from './support/redis-cluster.js';
import { startTestRedis } from './support/redis-server.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'queue-gate-contract-'));
  dirs.push(dir);
  return dir;
};
const opened: QueueStore[] = [];
after(async () => {
  for (const store of opened) await store.close().catch(() => {});
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
const track = <S extends QueueStore>(store: S): S => (opened.push(store), store);

describeStoreContract({
  name: 'MemoryStore',
  durable: false,
  open: async () => ({ store: track(await MemoryStore.open()) }),
});

describeStoreContract({
  name: 'MemoryStore with its file journal',
  durable: true,
  open: async () => {
    const dir = await tempDir();
    // Small blocks and compaction, so a test crosses block ends and snapshot writes.
    const openAt = () =>
      MemoryStore.open({
        persistence: createFilePersistence(dir),
        seqBlockSize: 4,
        compactAfter: 7,
      });
    const handle: StoreHandle = {
      store: await openAt(),
      // Reopened from disk without close(): what a kill -9 leaves is what the next run reads.
      restart: async () => track(await openAt()),
    };
    return handle;
  },
});

/** Redis kinds: a fresh key prefix per test; `second` is another connection (process). */
function redisKind(
  name: string,
  start: () => Promise<{ url: string; stop: () => Promise<void> }>,
  cluster: boolean,
) {
  let server: { url: string; stop: () => Promise<void> } | null = null;
  let prefixes = 0;
  return {
    name,
    durable: true,
    setup: async () => {
      server = await start();
    },
    teardown: async () => {
      for (const store of opened.splice(0)) await store.close().catch(() => {});
      await server?.stop();
    },
    open: async (): Promise<StoreHandle> => {
      prefixes += 1;
      const keyPrefix = `contract${prefixes}:`;
      const connect = async () =>
        track(await RedisStore.open({ url: server!.url, cluster, keyPrefix }));
      return { store: await connect(), second: connect, restart: connect };
    },
  };
}

describeStoreContract(redisKind('RedisStore on a real redis-server', startTestRedis, false));
describeStoreContract(
  redisKind('RedisStore on a real three-master Redis Cluster', startTestRedisCluster, true),
);

describe('the journal after a writer is killed with SIGKILL mid-burst', () => {
  it('brings back every acknowledged seq, claim, booking and used key, and repeats no seq', async () => {
    const dir = await tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'store-contract', 'journal-writer.ts'), dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const acked: Array<{ seq: number; jti: string; booked: boolean }> = [];
    let buffer = '';
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.once('exit', (_code, signal) => done(signal)),
    );
    await new Promise<void>((enough, fail) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) acked.push(JSON.parse(line) as (typeof acked)[number]);
        if (acked.length >= 150) {
          child.kill('SIGKILL');
          enough();
        }
      });
      child.once('exit', () => fail(new Error(`the writer exited after ${acked.length} acks`)));
    }).catch((error: unknown) => {
      if (acked.length < 150) throw error;
    });
    assert.equal(await exited, 'SIGKILL');
    const store = track(await MemoryStore.open({ persistence: createFilePersistence(dir) }));
    for (const { seq, jti, booked } of acked) {
      const claim = await store.getClaim('burst', seq, T0 + 1000);
      assert.equal(claim?.jti, jti, `claim ${seq} survived`);
      assert.equal(claim?.consumed, booked, `booking of ${seq} survived`);
      assert.equal(await store.consumeJti(jti, Date.now() + 600_000, Date.now()), false);
    }
    const [next] = [await store.allocateSeq('burst', T0 + 2000)];
    assert.ok(next! > Math.max(...acked.map((ack) => ack.seq)), 'no seq handed out twice');
  });
});
