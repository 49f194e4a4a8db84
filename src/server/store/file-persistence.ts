/**
 * Node-only: keeps a {@link StoreSnapshot} in one JSON file, replaced atomically.
 *
 * Why write-temp + fsync + rename: a `kill -9` or power loss in the middle of a write must
 * leave either the old file or the new one, never a torn mix that would reset the line.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorePersistence, StoreSnapshot } from './memory-store.js';

/** File name of the snapshot inside the data directory. */
export const SNAPSHOT_FILE = 'queue-store.json';

let tempCounter = 0;

/**
 * Writes `contents` to `path` atomically and durably (temp file, fsync, rename, fsync dir).
 *
 * @param mode - file permissions (use 0o600 for secrets)
 */
export async function writeFileAtomic(path: string, contents: string, mode = 0o644): Promise<void> {
  tempCounter += 1;
  const temp = `${path}.${process.pid}.${tempCounter}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await syncDirectory(join(path, '..'));
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open directories, which is fine.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * A {@link StorePersistence} that keeps the snapshot in `dir/queue-store.json`.
 *
 * @example
 * ```ts
 * const store = await MemoryStore.open({ persistence: createFilePersistence('.queue-gate-data') });
 * ```
 */
export function createFilePersistence(dir: string): StorePersistence {
  const file = join(dir, SNAPSHOT_FILE);
  let ready: Promise<unknown> | null = null;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      // A file that does not parse is not silently replaced: starting empty would reset the line.
      return JSON.parse(text) as StoreSnapshot;
    },
    async save(snapshot) {
      ready ??= mkdir(dir, { recursive: true, mode: 0o700 });
      await ready;
      await writeFileAtomic(file, JSON.stringify(snapshot), 0o600);
    },
  };
}
