/**
 * A process that writes to a journaled MemoryStore as fast as it can and prints each change
 * once the store acknowledged it, for `store-contract.test.ts` to kill with SIGKILL.
 * Usage: `node --import tsx journal-writer.ts <dir>`.
 */
import { createFilePersistence } from '../../../src/server/store/file-persistence.js';
import { MemoryStore } from '../../../src/server/store/memory-store.js';
import { config, T0 } from './suite.js';

const dir = process.argv[2]!;
const store = await MemoryStore.open({ persistence: createFilePersistence(dir), seqBlockSize: 8 });
await store.putRoomConfig('burst', config({ holdSeconds: 600 }), T0);
const now = Date.now();
// A few writers at once, so journal flushes are shared and the kill lands between them.
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (;;) {
      const seq = (await store.allocateSeq('burst', T0))!;
      const jti = `jti-${seq}`;
      await store.recordClaim(
        'burst',
        {
          seq,
          sub: `sub-${seq}`,
          jti,
          admission: `admission-${seq}`,
          claimedAt: T0,
          expiresAt: T0 + 600_000,
          consumed: false,
        },
        T0,
      );
      const booked = seq % 3 === 0 && (await store.bookPlace('burst', seq, T0 + 900_000, T0));
      await store.consumeJti(jti, now + 600_000, now);
      process.stdout.write(`${JSON.stringify({ seq, jti, booked })}\n`);
    }
  }),
);
