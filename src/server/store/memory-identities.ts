/**
 * The identity bindings and released places of the embedded store (see `identity-records.ts`),
 * per room, with the one rule that changes them: shared by the live store and the journal
 * replay (`store-journal.ts`), so a replayed change ends exactly where the live one did.
 */
import type { SnapshotWriter } from './memory-writer.js';
import { decodeBinding, encodeBinding } from './identity-records.js';
import type { IdentityBinding, IdentityBindingChange } from './identity-records.js';
import { RoomNotFoundError } from './store-errors.js';

/** One room's bindings (identity hash → encoded binding) and released places (sub → until). */
export interface RoomIdentities {
  bindings: Map<string, string>;
  released: Map<string, number>;
}

/** The identities of one room inside a store snapshot. */
export interface IdentitySnapshot {
  room: string;
  bindings: Array<[idh: string, binding: string]>;
  released: Array<[sub: string, keepUntil: number]>;
}

/** One durable change: a binding set, a place released, or both at once. */
export interface IdentityJournalEntry {
  type: 'identity';
  room: string;
  bind?: { idh: string; binding: string };
  release?: { sub: string; keepUntil: number };
}

/** Identities by room. */
export type IdentityRooms = Map<string, RoomIdentities>;

function roomOf(rooms: IdentityRooms, room: string): RoomIdentities {
  let entry = rooms.get(room);
  if (entry === undefined) {
    entry = { bindings: new Map(), released: new Map() };
    rooms.set(room, entry);
  }
  return entry;
}

/** Applies one change (live or replayed); released places past their time are dropped. */
export function applyIdentityChange(rooms: IdentityRooms, entry: IdentityJournalEntry): void {
  const room = roomOf(rooms, entry.room);
  if (entry.bind) room.bindings.set(entry.bind.idh, entry.bind.binding);
  if (entry.release) {
    const { sub, keepUntil } = entry.release;
    room.released.set(sub, Math.max(keepUntil, room.released.get(sub) ?? 0));
  }
}

/** The identities of a snapshot (absent in snapshots written before identities existed). */
export function identitiesFromSnapshot(snapshots: IdentitySnapshot[] | undefined): IdentityRooms {
  return new Map(
    (snapshots ?? []).map((room) => [
      room.room,
      { bindings: new Map(room.bindings), released: new Map(room.released) },
    ]),
  );
}

/** The identities as a snapshot holds them. */
export function identitiesToSnapshot(rooms: IdentityRooms): IdentitySnapshot[] {
  return [...rooms].map(([room, { bindings, released }]) => ({
    room,
    bindings: [...bindings],
    released: [...released],
  }));
}

/** The embedded store's identity operations; `hasRoom` says which rooms exist. */
export class MemoryIdentities {
  private rooms: IdentityRooms = new Map();
  /** Writes not yet durable: reads wait for them, so nothing is shown that a crash could undo. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly writer: SnapshotWriter,
    private readonly hasRoom: (room: string) => boolean,
  ) {}

  async get(room: string, idh: string): Promise<IdentityBinding | null> {
    await this.writing;
    return decodeBinding(this.rooms.get(room)?.bindings.get(idh));
  }

  async bind(room: string, change: IdentityBindingChange, now: number): Promise<IdentityBinding> {
    if (!this.hasRoom(room)) throw new RoomNotFoundError(room);
    const current = this.rooms.get(room)?.bindings.get(change.idh) ?? '';
    // Compared and set in one synchronous step: no other join of this process slips between.
    if (current !== encodeBinding(change.expected)) {
      await this.writing;
      return decodeBinding(current)!;
    }
    const entry: IdentityJournalEntry = {
      type: 'identity',
      room,
      bind: { idh: change.idh, binding: encodeBinding(change.next) },
      ...(change.release ? { release: change.release } : {}),
    };
    await this.change(entry, now);
    return { ...change.next };
  }

  async release(room: string, sub: string, keepUntil: number, now: number): Promise<void> {
    if (!this.hasRoom(room)) throw new RoomNotFoundError(room);
    await this.change({ type: 'identity', room, release: { sub, keepUntil } }, now);
  }

  async isReleased(room: string, sub: string, now: number): Promise<boolean> {
    await this.writing;
    return (this.rooms.get(room)?.released.get(sub) ?? 0) > now;
  }

  toSnapshot(): IdentitySnapshot[] {
    return identitiesToSnapshot(this.rooms);
  }

  restore(snapshots: IdentitySnapshot[] | undefined): void {
    this.rooms = identitiesFromSnapshot(snapshots);
  }

  private async change(entry: IdentityJournalEntry, now: number): Promise<void> {
    applyIdentityChange(this.rooms, entry);
    this.prune(entry.room, now);
    const written = this.writer.journal(entry);
    this.writing = Promise.all([this.writing, written]).then(
      () => undefined,
      () => undefined,
    );
    await written;
  }

  /** Drops released places no ticket can use any more (on writes: they are rare). */
  private prune(room: string, now: number): void {
    const released = this.rooms.get(room)?.released;
    for (const [sub, keepUntil] of released ?? []) if (keepUntil <= now) released!.delete(sub);
  }
}
