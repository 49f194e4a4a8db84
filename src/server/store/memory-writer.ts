/**
 * How the embedded store makes changes durable: small changes are appended to the journal
 * (concurrent ones share one disk flush), everything else by a whole snapshot; concurrent
 * snapshot requests share one write, and a long journal is emptied into a snapshot.
 */
import type { StorePersistence, StoreSnapshot } from './memory-snapshot.js';
import type { JournalEntry } from './store-journal.js';

/** Writes a store's changes through its persistence (or nowhere, without one). */
export class SnapshotWriter {
  /** Something changed that only a snapshot (or a counters entry) makes durable. */
  dirty = false;
  private journaled = 0;
  private lastSave: Promise<void> = Promise.resolve();
  private queuedSave: Promise<void> | null = null;

  constructor(
    private readonly persistence: StorePersistence | undefined,
    private readonly compactAfter: number,
    private readonly snapshot: () => StoreSnapshot,
  ) {}

  /** Whether changes go to a journal (else every change is a whole snapshot). */
  get journals(): boolean {
    return this.persistence?.append !== undefined;
  }

  /**
   * Makes `entry` durable: appended to the journal when there is one, else by a whole
   * snapshot. `null` waits for what was handed in before.
   */
  journal(entry: JournalEntry | null): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) return Promise.resolve();
    if (!persistence.append) return this.save();
    if (entry === null) return persistence.append([]);
    this.journaled += 1;
    if (this.journaled >= this.compactAfter && !this.queuedSave) {
      this.save().catch(() => undefined);
    }
    return persistence.append([entry]);
  }

  /** Writes a snapshot taken after every change made so far; concurrent callers share writes. */
  save(): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) return Promise.resolve();
    if (this.queuedSave) return this.queuedSave;
    const write = async (): Promise<void> => {
      this.queuedSave = null;
      this.dirty = false;
      this.journaled = 0;
      await persistence.save(this.snapshot());
    };
    const next = this.lastSave.then(write, write);
    this.queuedSave = next;
    this.lastSave = next;
    return next;
  }

  /** The last snapshot write, failed or not (what a write holds is not shown before it ends). */
  settled(): Promise<void> {
    return this.lastSave.then(
      () => undefined,
      () => undefined,
    );
  }

  /** The last snapshot write itself (rejects when it failed). */
  lastWrite(): Promise<void> {
    return this.lastSave;
  }

  async close(): Promise<void> {
    await this.persistence?.close?.();
  }
}
