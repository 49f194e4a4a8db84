/**
 * The embedded store's journal: small records of the changes that must be durable before an
 * answer goes out (a claim, a booked place, a used key, a reserved seq block, a move of `serving`),
 * appended to a log instead of rewriting the whole snapshot for each of them. A pre-open
 * registration is one too: before a big opening the entrants are many, and a snapshot per
 * registration would rewrite all of them for each new one.
 *
 * Why replaying is safe without sequence numbers: every entry sets a value (a claim for a seq,
 * `serving` raised to a number, a jti marked consumed), and the journal is replayed in the order
 * it was written on top of a snapshot taken no earlier than its first entry. Replaying entries
 * the snapshot already holds therefore ends in the same state.
 */
import type { ClaimRecord, CounterSample } from './queue-store.js';
import type { StoreSnapshot } from './memory-snapshot.js';
import {
  markBooked,
  pushAdvance,
  putClaim,
  roomFromSnapshot,
  roomToSnapshot,
} from './memory-room.js';
import {
  applyIdentityChange,
  identitiesFromSnapshot,
  identitiesToSnapshot,
} from './memory-identities.js';
import type { IdentityJournalEntry } from './memory-identities.js';

/** One durable change. */
export type JournalEntry =
  | { type: 'claim'; room: string; claim: ClaimRecord }
  | { type: 'consume'; jti: string; expiresAt: number }
  | { type: 'reserve'; room: string; reservedSeq: number }
  | { type: 'book'; room: string; seq: number; keepUntil: number }
  | { type: 'advance'; room: string; at: number; serving: number; holdSeconds?: number }
  | { type: 'counters'; counters: CounterSample[] }
  | { type: 'register'; room: string; sub: string }
  | IdentityJournalEntry;

/** A snapshot with nothing in it, for a journal found without one. */
export function emptySnapshot(): StoreSnapshot {
  return { format: 1, rooms: [], consumed: [], counters: [], keys: [] };
}

/**
 * Adds a registration to the room's draw in `snapshot`, as the live store does: only to a draw
 * that has not run (a registration the snapshot already holds, or one journalled just before
 * the draw ran, is already among its entrants).
 */
function registerEntrant(
  snapshot: StoreSnapshot,
  entrants: Map<string, Set<string>>,
  room: string,
  sub: string,
): void {
  const draw = snapshot.draws?.find((candidate) => candidate.room === room);
  if (!draw || draw.drawnAt !== null) return;
  let registered = entrants.get(room);
  if (!registered) {
    registered = new Set(draw.entrants);
    entrants.set(room, registered);
  }
  registered.add(sub);
}

/**
 * Applies journal entries, in order, to `snapshot` (changed in place and returned), through the
 * same room rules the live store applies (`memory-room.ts`).
 *
 * @example
 * ```ts
 * const restored = applyJournal(snapshot ?? emptySnapshot(), entries);
 * ```
 */
export function applyJournal(snapshot: StoreSnapshot, entries: JournalEntry[]): StoreSnapshot {
  const rooms = new Map(snapshot.rooms.map((room) => [room.record.room, roomFromSnapshot(room)]));
  const consumed = new Map(snapshot.consumed);
  const entrants = new Map<string, Set<string>>();
  const identities = identitiesFromSnapshot(snapshot.identities);
  for (const entry of entries) {
    if (entry.type === 'identity') {
      applyIdentityChange(identities, entry);
      continue;
    }
    if (entry.type === 'counters') {
      snapshot.counters = entry.counters;
      continue;
    }
    if (entry.type === 'consume') {
      consumed.set(entry.jti, entry.expiresAt);
      continue;
    }
    if (entry.type === 'register') {
      registerEntrant(snapshot, entrants, entry.room, entry.sub);
      continue;
    }
    // Rooms are created by a snapshot write, before any of their entries can exist.
    const room = rooms.get(entry.room);
    if (!room) continue;
    if (entry.type === 'claim') {
      putClaim(room, entry.claim);
    } else if (entry.type === 'book') {
      markBooked(room, entry.seq, entry.keepUntil);
    } else if (entry.type === 'reserve') {
      room.reservedSeq = Math.max(room.reservedSeq, entry.reservedSeq);
    } else {
      const holdSeconds = entry.holdSeconds ?? room.record.config.holdSeconds;
      pushAdvance(room, { at: entry.at, serving: entry.serving, holdSeconds });
    }
  }
  for (const draw of snapshot.draws ?? []) {
    const registered = entrants.get(draw.room);
    if (registered) draw.entrants = [...registered].sort();
  }
  snapshot.rooms = [...rooms.values()].map(roomToSnapshot);
  snapshot.consumed = [...consumed.entries()];
  snapshot.identities = identitiesToSnapshot(identities);
  return snapshot;
}
