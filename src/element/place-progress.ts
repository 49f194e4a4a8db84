/**
 * What the waiting screen remembers about the visitor's place beyond the core's snapshot: where
 * the progress bar starts (the largest position seen) and whether the place came from an opening
 * draw. Both survive a reload: they are stored beside the ticket (`core/progress-start.ts`) and
 * trusted only while that ticket is stored for the same place, so a record outliving its ticket,
 * or an engine that stores no ticket, never moves the bar.
 */
import {
  loadProgressStart,
  saveProgressStart,
  type ProgressStart,
} from '../core/progress-start.js';
import { localStorageOrNull, type StorageLike } from '../core/storage-slot.js';
import { createTicketStore } from '../core/ticket-store.js';
import type { QueueSnapshot } from '../core/types.js';

/** The place's progress start and draw mark, kept across reloads. */
export class PlaceProgress {
  private record: ProgressStart | null = null;
  /** Endpoint, room and seq the record is for. */
  private place = '';

  /** @param storage - where the ticket and the record live; replaced in tests */
  constructor(private readonly storage: () => StorageLike | null = localStorageOrNull) {}

  /** Largest position seen for the current place: where the progress bar starts. */
  get start(): number | null {
    return this.record?.start ?? null;
  }

  /** Whether the current place was given by an opening draw. */
  get fromDraw(): boolean {
    return this.record?.fromDraw ?? false;
  }

  /** Forgets the place (a rejoin, another room): the next one starts afresh. */
  reset(): void {
    this.record = null;
    this.place = '';
  }

  /** Takes a new snapshot: a new place is looked up in storage, a larger position kept. */
  observe(s: QueueSnapshot): void {
    // A pre-open ticket is place 0 until the draw gives it a number.
    const seq = s.seq ?? (s.opensAt != null ? 0 : null);
    if (seq === null) return this.reset();
    const place = `${s.endpoint}\u0000${s.room}\u0000${seq}`;
    if (place !== this.place) {
      this.place = place;
      this.record = this.restore(s, seq);
    }
    const record = this.record!;
    if (s.position === null || s.position <= (record.start ?? -1)) return;
    this.record = { ...record, start: s.position };
    this.save(s, this.record);
  }

  private restore(s: QueueSnapshot, seq: number): ProgressStart {
    const previous = this.record;
    const stored = this.ticketKept(s, seq)
      ? loadProgressStart(this.storage(), s.endpoint, s.room)
      : null;
    if (stored?.seq === seq) return stored;
    // The place that follows a pre-open ticket, seen here or before a reload, is the draw's.
    const fromDraw = seq === 0 || previous?.seq === 0 || (stored?.seq === 0 && stored.fromDraw);
    const fresh = { seq, start: null, fromDraw };
    this.save(s, fresh);
    return fresh;
  }

  private save(s: QueueSnapshot, record: ProgressStart): void {
    if (this.ticketKept(s, record.seq)) {
      saveProgressStart(this.storage(), s.endpoint, s.room, record);
    }
  }

  /**
   * Whether storage holds the ticket of place `seq` (or the pre-open ticket it follows: the
   * engine stores the drawn place's ticket on the answer that brings it, but a mirroring tab may
   * see the place first).
   */
  private ticketKept(s: QueueSnapshot, seq: number): boolean {
    const storage = this.storage();
    if (!storage) return false;
    const ticket = createTicketStore({ endpoint: s.endpoint, room: s.room, storage }).load();
    return ticket !== null && (ticket.seq === seq || ticket.seq === 0);
  }
}
