/**
 * Two `queue-gate serve` processes on one `QUEUE_GATE_DATA_DIR`, as an operator gets them with
 * a restart that overlaps the old process or two containers on one volume. The embedded store
 * has one owner: a second process on its files would hand out the seqs the first hands out
 * ("no seq is handed out twice" would not hold), so it must not serve beside it; it starts
 * once the owner is gone, whether stopped (`SIGTERM`) or killed (`kill -9`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, describe, it } from 'node:test';
import { startChildServer } from './helpers/child-server.js';
import type { ChildServer } from './helpers/child-server.js';

const ADMIN_TOKEN = 'operator-shared-data-dir-0123';

async function joinSeq(server: ChildServer): Promise<number> {
  const response = await fetch(`${server.url}/rooms/demo/join`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { seq: number }).seq;
}

describe('two server processes on one data dir', () => {
  const children: ChildServer[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const server of children) server.child.kill('SIGKILL');
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const start = async (dataDir: string) => {
    const server = await startChildServer({
      QUEUE_GATE_DATA_DIR: dataDir,
      QUEUE_GATE_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    children.push(server);
    return server;
  };

  it('refuses a second process while the first serves, and hands out no seq twice', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'queue-gate-shared-dir-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const seqs = [await joinSeq(first)];
    const refused = await start(dataDir).then(
      () => assert.fail('a second process started on the same data dir'),
      (error: Error) => error.message,
    );
    assert.match(refused, /QUEUE_GATE_DATA_DIR .* is in use by another/);
    assert.doesNotMatch(refused, /\n\s+at /, 'an operator error in one line, without a stack');
    seqs.push(await joinSeq(first));

    // kill -9: the next process takes the data dir over at once and numbers on.
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await start(dataDir);
    seqs.push(await joinSeq(second));
    assert.equal(new Set(seqs).size, seqs.length, `no seq twice: ${seqs.join(', ')}`);

    // A restart that overlaps the old process: the new one waits for it to stop.
    const third = start(dataDir);
    await new Promise((wait) => setTimeout(wait, 1_000));
    second.child.kill('SIGTERM');
    seqs.push(await joinSeq(await third));
    assert.equal(new Set(seqs).size, seqs.length, `no seq twice: ${seqs.join(', ')}`);
  });
});
