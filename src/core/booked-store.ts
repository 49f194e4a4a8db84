/**
 * Remembers, per room, that the visitor's journey ended in a booking. Without it a reload after
 * booking would find no ticket and join the line afresh (a new place the visitor never asked
 * for), and a stale admission left in storage could show the booking form again. The marker is
 * small, holds no token, and lapses after a day (or when the booked place's ticket would have,
 * if later), so the next booking day in the same room starts normally.
 */
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { createStorageSlot, localStorageOrNull } from './storage-slot.js';
import type { StorageLike } from './storage-slot.js';
import type { BookingOutcome } from './types.js';

/** Version of the marker's shape; another version is ignored. */
export const BOOKED_STORE_VERSION = 1;

/** How long the end of a journey is remembered when the place's ticket expiry is unknown. */
export const BOOKED_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * Until when a journey that ended at `at` is remembered: a day, or until the booked place's
 * ticket would have expired if that is later.
 */
export function bookedUntil(ticketExpiresAt: number | null, at: number): number {
  return Math.max(ticketExpiresAt ?? 0, at + BOOKED_MEMORY_MS);
}

/** What is remembered of a finished journey. */
export interface BookedRecord {
  /** The place that booked, when known. */
  seq: number | null;
  outcome: BookingOutcome;
  /** When the journey ended (epoch ms, device clock). */
  at: number;
  /** Forgotten after this (epoch ms, device clock). */
  until: number;
}

/** The marker store of one room of one endpoint. */
export interface BookedStore {
  /** The storage key used. */
  readonly key: string;
  /** The marker, if present, well-formed and not lapsed; else null. */
  load(): BookedRecord | null;
  /** Saves the marker (never throws; memory when storage refuses). */
  save(record: BookedRecord): void;
  /** Forgets the marker (the visitor asked to join the line again). */
  clear(): void;
}

/** Options of {@link createBookedStore}. */
export interface BookedStoreOptions {
  endpoint: string;
  room: string;
  /** Defaults to `localStorage` when reachable; `null` keeps the marker in memory. */
  storage?: StorageLike | null;
  clock?: Clock;
}

/** @returns the storage key of a room's marker: `queue-gate:v1:booked:<endpoint>:<room>`. */
export function bookedStorageKey(endpoint: string, room: string): string {
  return `queue-gate:v${BOOKED_STORE_VERSION}:booked:${endpoint}:${room}`;
}

function parse(raw: string | null, endpoint: string, room: string): BookedRecord | null {
  let v: Partial<Record<keyof BookedRecord | 'v' | 'room' | 'endpoint', unknown>>;
  try {
    v = (JSON.parse(raw ?? 'null') as typeof v | null) ?? {};
  } catch {
    return null;
  }
  const { seq, outcome, at, until } = v;
  const valid =
    v.v === BOOKED_STORE_VERSION &&
    v.room === room &&
    v.endpoint === endpoint &&
    (outcome === 'booked' || outcome === 'already-used') &&
    Number.isFinite(at) &&
    Number.isFinite(until) &&
    (seq === null || (Number.isSafeInteger(seq) && (seq as number) > 0));
  return valid
    ? { seq: seq as number | null, outcome, at: at as number, until: until as number }
    : null;
}

/**
 * Creates the marker store of one room.
 *
 * @example
 * ```ts
 * const booked = createBookedStore({ endpoint: 'https://queue.example.com', room: 'concert' });
 * booked.save({ seq: 42, outcome: 'booked', at: Date.now(), until: Date.now() + 86_400_000 });
 * booked.load()?.outcome; // 'booked', also after a reload
 * ```
 */
export function createBookedStore(options: BookedStoreOptions): BookedStore {
  const { endpoint, room } = options;
  const clock = options.clock ?? systemClock;
  const key = bookedStorageKey(endpoint, room);
  // Where storage refuses, the marker still holds for this page's life.
  const slot = createStorageSlot(
    options.storage === undefined ? localStorageOrNull() : options.storage,
    key,
  );
  return {
    key,
    load() {
      const raw = slot.read();
      const record = parse(raw, endpoint, room);
      if (record && record.until > clock.now()) return record;
      // Lapsed or unreadable: removed, so it cannot confuse another tab.
      if (raw !== null) slot.remove();
      return null;
    },
    save: (record) =>
      slot.write(JSON.stringify({ v: BOOKED_STORE_VERSION, room, endpoint, ...record })),
    clear: () => slot.remove(),
  };
}
