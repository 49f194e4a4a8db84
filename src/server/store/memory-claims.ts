/**
 * Claims and booked places of the embedded store: recorded through the room rules of
 * `memory-room.ts`, and shown only once durable (an admission may not leave the process before
 * a crash could no longer undo it).
 */
import { claimOfPlace, shownClaim } from './claim-rules.js';
import { claimDecision, isBooked, markBooked, putClaim } from './memory-room.js';
import type { RoomState } from './memory-room.js';
import type { SnapshotWriter } from './memory-writer.js';
import type { ClaimCapacity, ClaimRecord } from './queue-store.js';

/** Records claims and bookings of every room of one store. */
export class MemoryClaims {
  /** Claims recorded but not yet durable, with their write. */
  private readonly unwritten = new Map<ClaimRecord, Promise<void>>();

  constructor(private readonly writer: SnapshotWriter) {}

  /** The durable claim for `seq` as a read shows it (consumed when the place is booked). */
  async get(
    state: () => RoomState | undefined,
    seq: number,
    now: number,
  ): Promise<ClaimRecord | null> {
    const claim = state()?.claims.get(seq);
    if (claim && this.unwritten.has(claim)) await this.unwritten.get(claim)!.catch(() => undefined);
    const room = state();
    if (!room) return null;
    const current = room.claims.get(seq);
    const durable = current && !this.unwritten.has(current) ? current : null;
    return claimOfPlace(seq, durable, isBooked(room, seq, now), now);
  }

  /** `recordClaim` of the store for an existing room. */
  async record(
    room: RoomState,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    // Decided and stored in one synchronous step: a booking cannot slip in between.
    const decision = claimDecision(room, claim, now, capacity);
    if (decision === 'full') return 'full';
    if (decision !== 'record') {
      const writing = decision.holder && this.unwritten.get(decision.holder);
      if (writing) await writing;
      return claimOfPlace(claim.seq, decision.holder, decision.booked, now)!;
    }
    const stored = putClaim(room, claim);
    const written = this.writer.journal({
      type: 'claim',
      room: room.record.room,
      claim: { ...claim },
    });
    this.unwritten.set(stored, written);
    try {
      await written;
    } catch (error) {
      // Not durable, so not recorded: the visitor's retry claims again.
      if (room.claims.get(claim.seq) === stored) room.claims.delete(claim.seq);
      throw error;
    } finally {
      this.unwritten.delete(stored);
    }
    return shownClaim(stored, now);
  }

  /** `bookPlace` of the store for an existing room. */
  async book(room: RoomState, seq: number, keepUntil: number, now: number): Promise<boolean> {
    // Check and mark in one synchronous step: of two bookings of one place, one wins.
    if (isBooked(room, seq, now)) return false;
    markBooked(room, seq, keepUntil);
    try {
      await this.writer.journal({ type: 'book', room: room.record.room, seq, keepUntil });
    } catch (error) {
      // Not durable, so not booked: the booking backend answers 5xx and the visitor retries.
      if (room.booked.get(seq) === keepUntil) room.booked.delete(seq);
      throw error;
    }
    return true;
  }
}
