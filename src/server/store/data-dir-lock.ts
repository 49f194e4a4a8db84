/**
 * Node-only: one owner for the embedded store's data directory.
 *
 * Why: two processes started on one `QUEUE_GATE_DATA_DIR` (a restart that overlaps the old
 * process, two containers on one volume) would each number places from the same snapshot and
 * write one journal: the same seq handed out twice, and a journal that replays neither. The
 * embedded store has one owner; many processes share Redis instead (docs/scaling.md).
 *
 * The lock is a file created exclusively (`O_EXCL`) holding the owner's pid and host, touched
 * every second. Another start takes it over once its owner is gone: at once when that owner
 * ran on this host and its pid is dead (a `kill -9`), else once the file has not been touched
 * for a few seconds (another host sharing the volume). It waits a little for an owner still
 * running, so that a restart overlapping the old process's shutdown goes through.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdir, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';

/** The lock file's name inside the data directory. */
export const DATA_DIR_LOCK_FILE = 'queue-store.lock';

/** Tuning of {@link lockDataDir} (tests shorten it). */
export interface DataDirLockOptions {
  /** How long to wait for a running owner to stop, in ms (default 10,000). */
  waitMs?: number;
  /** A lock not touched for this long is taken over, in ms (default 5,000). */
  staleMs?: number;
}

/** A held lock. */
export interface DataDirLock {
  /** Stops touching the lock and removes it (if still this process's). */
  release(): Promise<void>;
}

/** Thrown when another running process owns the data directory. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

interface Owner {
  pid: number;
  host: string;
  token: string;
}

const TOUCH_MS = 1_000;
const RETRY_MS = 200;

/**
 * Takes the lock of `dir`, creating the directory when missing.
 *
 * @throws DataDirInUseError when another running process keeps it for longer than `waitMs`
 * @example
 * ```ts
 * const lock = await lockDataDir('.queue-gate-data');
 * // ... serve ...
 * await lock.release();
 * ```
 */
export async function lockDataDir(
  dir: string,
  { waitMs = 10_000, staleMs = 5_000 }: DataDirLockOptions = {},
): Promise<DataDirLock> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, DATA_DIR_LOCK_FILE);
  const me: Owner = { pid: process.pid, host: hostname(), token: globalThis.crypto.randomUUID() };
  const until = Date.now() + waitMs;
  for (;;) {
    if (await create(file, me)) break;
    const holder = await readOwner(file);
    // Unreadable: half written by a crash, or by a starter racing this one right now; only
    // the first kind is left untouched for long.
    const gone =
      holder === null ? await untouchedFor(file, staleMs) : await isGone(file, holder, me, staleMs);
    if (gone) {
      // Moved aside rather than deleted: of two starters that both found it stale, only one
      // moves it, and the other sees the winner's fresh lock on its next try.
      await rename(file, `${file}.stale-${me.token}`).then(
        () => unlink(`${file}.stale-${me.token}`),
        () => undefined,
      );
      continue;
    }
    if (Date.now() > until) {
      throw new DataDirInUseError(
        `QUEUE_GATE_DATA_DIR ${dir} is in use by another queue-gate process (${holder ? `pid ${holder.pid} on ${holder.host}` : 'starting now'}). ` +
          'The embedded store has one owner: stop that process first, or give each process its own data dir, or share a Redis (docs/scaling.md).',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  const timer = setInterval(() => {
    const at = new Date();
    utimes(file, at, at).catch(() => undefined);
  }, TOUCH_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      const holder = await readOwner(file);
      if (holder?.token === me.token) await unlink(file).catch(() => undefined);
    },
  };
}

async function create(file: string, owner: Owner): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(owner));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's owner; null when the file is gone or unreadable (half written by a crash). */
async function readOwner(file: string): Promise<Owner | null> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return null;
    return { pid: owner.pid, host: owner.host, token: String(owner.token) };
  } catch {
    return null;
  }
}

/** Whether the owner of the lock has stopped (its pid is dead here, or it stopped touching it). */
async function isGone(file: string, holder: Owner, me: Owner, staleMs: number): Promise<boolean> {
  if (holder.host === me.host) {
    // A pid equal to ours is a lock left by a former life of this process (a container
    // restarted after `kill -9` often gets the same pid): this process does not hold it.
    if (holder.pid === me.pid) return true;
    try {
      process.kill(holder.pid, 0);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  return untouchedFor(file, staleMs);
}

/** Whether the lock file has not been touched for `staleMs` (or is gone). */
async function untouchedFor(file: string, staleMs: number): Promise<boolean> {
  const touched = await stat(file).then(
    (info) => info.mtimeMs,
    () => 0,
  );
  return Date.now() - touched > staleMs;
}
