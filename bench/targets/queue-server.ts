/**
 * The server under test: the real queue server (`startQueueServer`, embedded store with file
 * persistence in a temp dir, or in memory only with `BENCH_PERSIST=0`) with a room `bench`
 * whose line moves only when told. It prepares `BENCH_TICKETS` tickets whose turn has come and
 * prints them in its ready line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startQueueServer } from '../../src/server/node-server.js';

const dataDir = await mkdtemp(join(tmpdir(), 'queue-gate-bench-'));
const server = await startQueueServer({
  port: 0,
  dataDir: process.env.BENCH_PERSIST === '0' ? null : dataDir,
  adminToken: 'bench-admin-token-0123456789',
  staticRoot: null,
  rooms: { bench: { admitPerMinute: 0, holdSeconds: 3600 } },
  logError: (message, error) => console.error(message, error),
});
const count = Number(process.env.BENCH_TICKETS ?? '0');
const tickets: string[] = [];
for (let i = 0; i < count; i += 1)
  tickets.push((await server.service.join('bench', undefined)).ticket);
if (count > 0) await server.service.advance('bench', count);

process.stdout.write(`${JSON.stringify({ url: server.url, tickets })}\n`);
// A real server keeps nothing per waiting visitor: the tickets must not weigh on its heap.
tickets.length = 0;
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => rm(dataDir, { recursive: true, force: true }))
    .then(() => process.exit(0));
});
