/**
 * The opening draws of the embedded store: one per room, with its entrants as a set (a `sub`
 * registered twice is one entrant), read back sorted, exactly as the Redis store keeps them.
 */
import type { RoomState } from './memory-room.js';
import type { SnapshotWriter } from './memory-writer.js';
import type { DrawCommitment, DrawRecord } from './queue-store.js';

interface DrawEntry {
  record: Omit<DrawRecord, 'entrants'>;
  entrants: Set<string>;
}

/** The draws by room; the store decides when a change is written. */
export class MemoryDraws {
  private readonly draws = new Map<string, DrawEntry>();

  constructor(private readonly writer: SnapshotWriter) {}

  /** The room's draw (entrants sorted), or null. */
  get(room: string): DrawRecord | null {
    const entry = this.draws.get(room);
    return entry ? { ...entry.record, entrants: [...entry.entrants].sort() } : null;
  }

  /** Stores a draw unless the room has one; true when stored now. */
  commit(room: string, draw: DrawCommitment) {
    if (this.draws.has(room)) return false;
    const { seed, commitment, committedAt, opensAt } = draw;
    // Beacon fields only for a draw with a beacon, as the Redis store reads them back.
    const beacon = draw.beacon ? { beacon: draw.beacon, beaconValue: null } : {};
    this.draws.set(room, {
      record: { seed, commitment, committedAt, opensAt, drawnAt: null, base: 0, ...beacon },
      entrants: new Set(),
    });
    return true;
  }

  /** Sets the beacon value of a frozen draw with a beacon and none yet; true when set now. */
  setBeacon(room: string, value: string): boolean {
    const entry = this.draws.get(room);
    if (!entry?.record.beacon || entry.record.drawnAt === null || entry.record.beaconValue) {
      return false;
    }
    entry.record = { ...entry.record, beaconValue: value };
    return true;
  }

  /** Adds an entrant unless the room has no draw or it ran; true when registered. */
  register(room: string, sub: string): boolean {
    const entry = this.draws.get(room);
    if (!entry || entry.record.drawnAt !== null) return false;
    entry.entrants.add(sub);
    return true;
  }

  /**
   * Runs the room's draw at `now` with the room's `issued` as its base, unless it ran before
   * (`'ran-before'`); returns how many seqs it hands out now, or null when there is no draw.
   */
  run(room: string, issued: number, now: number): number | 'ran-before' | null {
    const entry = this.draws.get(room);
    if (!entry) return null;
    if (entry.record.drawnAt !== null) return 'ran-before';
    entry.record = { ...entry.record, drawnAt: now, base: issued };
    return entry.entrants.size;
  }

  /** Every draw, for a snapshot. */
  toSnapshot(): Array<DrawRecord & { room: string }> {
    return [...this.draws.keys()].map((room) => ({ ...this.get(room)!, room }));
  }

  /** Restores a draw read from a snapshot. */
  restore(draw: DrawRecord & { room: string }): void {
    const { room, entrants, ...record } = draw;
    this.draws.set(room, { record, entrants: new Set(entrants) });
  }

  /** `commitDraw` of the store. */
  async commitDraw(room: string, draw: DrawCommitment): Promise<DrawRecord> {
    if (this.commit(room, draw)) await this.writer.save();
    else await this.writer.settled();
    return this.get(room)!;
  }

  /** `setDrawBeacon` of the store. */
  async setDrawBeacon(room: string, value: string): Promise<DrawRecord | null> {
    if (this.setBeacon(room, value)) await this.writer.save();
    else await this.writer.settled();
    return this.get(room);
  }

  /** `getDraw` of the store: nothing shown before it is durable. */
  async getDraw(room: string): Promise<DrawRecord | null> {
    await this.writer.settled();
    return this.get(room);
  }

  /**
   * `registerPreOpen` of the store, for an existing room: a journal entry (a snapshot only where
   * there is no journal), so a registration costs the same with a million entrants as with one.
   */
  async registerPreOpen(room: string, sub: string): Promise<boolean> {
    if (!this.register(room, sub)) return false;
    await this.writer.journal({ type: 'register', room, sub });
    return true;
  }

  /** `runDraw` of the store, for an existing room: moves its `issued` past the draw. */
  async runDraw(state: RoomState, now: number): Promise<DrawRecord | null> {
    const room = state.record.room;
    // One synchronous step: no join of this process can slip between freezing and numbering.
    const drawn = this.run(room, state.record.issued, now);
    if (drawn === null) return null;
    if (drawn === 'ran-before') {
      await this.writer.settled();
    } else {
      const issued = state.record.issued + drawn;
      state.record = { ...state.record, issued, version: state.record.version + 1 };
      // The drawn seqs are handed out by the draw, never by a block: reserve past them.
      state.reservedSeq = Math.max(state.reservedSeq, issued);
      await this.writer.save();
    }
    return this.get(room);
  }
}
