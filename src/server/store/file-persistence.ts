/**
 * Node-only: keeps a {@link StoreSnapshot} in one JSON file, replaced atomically.
 *
 * Why write-temp + fsync + rename: a `kill -9` or power loss in the middle of a write must
 * leave either the old file or the new one, never a torn mix that would reset the line.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorePersistence, StoreSnapshot } from './memory-snapshot.js';
import { applyJournal, emptySnapshot } from './store-journal.js';
import type { JournalEntry } from './store-journal.js';

/** File name of the snapshot inside the data directory. */
export const SNAPSHOT_FILE = 'queue-store.json';

/** File name of the journal (one JSON entry a line) inside the data directory. */
export const JOURNAL_FILE = 'queue-store.journal';

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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Reads the journal's entries; a torn last line (a write cut short by a crash) is dropped. */
async function readJournal(file: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (error) {
      // Only the last line can be torn, and it was never acknowledged (its fsync had not
      // returned). A bad line before good ones is damage: refuse rather than lose those.
      if (lines.slice(i + 1).some((rest) => rest !== '')) throw error;
    }
  }
  return entries;
}

interface Batch {
  text: string;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A {@link StorePersistence} that keeps the snapshot in `dir/queue-store.json` and the changes
 * since in `dir/queue-store.journal`.
 *
 * Appends are group-committed: entries handed in while a write is on its way wait for the next
 * write and share its one `fdatasync`, so durability costs one disk flush per batch rather
 * than per request. A snapshot write empties the journal.
 *
 * @example
 * ```ts
 * const store = await MemoryStore.open({ persistence: createFilePersistence('.queue-gate-data') });
 * ```
 */
export function createFilePersistence(dir: string): StorePersistence {
  const file = join(dir, SNAPSHOT_FILE);
  const journalFile = join(dir, JOURNAL_FILE);
  let ready: Promise<unknown> | null = null;
  const ensureDir = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }));
  let journal: FileHandle | null = null;
  /** Bytes of the journal known to be whole entries: a failed write is cut back to it. */
  let journalSize = 0;
  /** Every disk operation runs in this one line, so the journal is never written while emptied. */
  let chain: Promise<void> = Promise.resolve();
  let openBatch: Batch | null = null;

  const openJournal = async (): Promise<FileHandle> => {
    if (journal) return journal;
    await ensureDir();
    const handle = await open(journalFile, 'a', 0o600);
    journalSize = (await handle.stat()).size;
    // The journal's own directory entry must survive a crash too.
    await syncDirectory(dir);
    journal = handle;
    return handle;
  };

  const writeBatch = async (batch: Batch): Promise<void> => {
    const handle = await openJournal();
    try {
      await handle.write(batch.text);
      await handle.datasync();
      journalSize += Buffer.byteLength(batch.text);
    } catch (error) {
      await handle.truncate(journalSize).catch(() => {});
      throw error;
    }
  };

  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const run = chain.then(job);
    chain = run.catch(() => {});
    return run;
  };

  return {
    async load() {
      let snapshot: StoreSnapshot | null = null;
      try {
        // A file that does not parse is not silently replaced: starting empty would reset the line.
        snapshot = JSON.parse(await readFile(file, 'utf8')) as StoreSnapshot;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      const entries = await readJournal(journalFile);
      if (entries.length === 0) return snapshot;
      return applyJournal(snapshot ?? emptySnapshot(), entries);
    },
    save(snapshot) {
      // Entries handed in from now on go after this snapshot, never into the journal it empties.
      openBatch = null;
      return enqueue(async () => {
        await ensureDir();
        await writeFileAtomic(file, JSON.stringify(snapshot), 0o600);
        // A journal left by an earlier run is emptied into this snapshot too.
        const handle = journal ?? ((await exists(journalFile)) ? await openJournal() : null);
        if (handle && journalSize > 0) {
          await handle.truncate(0);
          await handle.datasync();
          journalSize = 0;
        }
      });
    },
    append(entries) {
      const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      if (openBatch === null) {
        let resolve!: () => void;
        let reject!: (error: unknown) => void;
        const done = new Promise<void>((yes, no) => {
          resolve = yes;
          reject = no;
        });
        const batch: Batch = { text: '', done, resolve, reject };
        openBatch = batch;
        void enqueue(async () => {
          if (openBatch === batch) openBatch = null;
          await writeBatch(batch);
        }).then(batch.resolve, batch.reject);
      }
      openBatch.text += text;
      return openBatch.done;
    },
    async close() {
      await chain;
      const handle = journal;
      journal = null;
      await handle?.close();
    },
  };
}
