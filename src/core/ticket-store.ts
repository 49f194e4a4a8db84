/**
 * Keeps a visitor's ticket (and admission) in localStorage so a reload, a crash or another tab
 * finds the same place. Storage is hostile ground: it may be blocked (privacy modes, sandboxed
 * iframes), full, or hold values from another version or a curious user. None of that may cost
 * the page: the store falls back to memory and drops anything it cannot trust.
 */
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { removeProgressStart } from './progress-start.js';
import { createStorageSlot, localStorageOrNull } from './storage-slot.js';
import type { StorageLike } from './storage-slot.js';

export type { StorageLike } from './storage-slot.js';

/** Version of the stored value's shape; another version is discarded, never misread. */
export const TICKET_STORE_VERSION = 1;

/**
 * How long past its `ticketExpiresAt` (by this device's clock) a ticket is still kept and shown
 * to the server. The expiry is the server's time, the check is the device's: a phone whose clock
 * runs hours ahead would otherwise throw away a valid place on every reload. Keeping a ticket
 * too long costs one request that the server answers `token_expired`; dropping it too early
 * costs the visitor their place. So the margin is generous.
 */
export const EXPIRY_GRACE_MS = 24 * 60 * 60 * 1000;

/** What is kept per room and endpoint. */
export interface StoredTicket {
  v: typeof TICKET_STORE_VERSION;
  ticket: string;
  seq: number;
  room: string;
  endpoint: string;
  ticketExpiresAt: number;
  admission?: string;
  admissionExpiresAt?: number;
}

/** The data a caller saves; the store adds version, room and endpoint. */
export type TicketRecord = Omit<StoredTicket, 'v' | 'room' | 'endpoint'>;

/** Options of {@link createTicketStore}. */
export interface TicketStoreOptions {
  endpoint: string;
  room: string;
  /** Defaults to `localStorage` when reachable; `null` keeps everything in memory. */
  storage?: StorageLike | null;
  clock?: Clock;
}

/** A ticket store for one room of one endpoint. */
export interface TicketStore {
  /** The storage key used. */
  readonly key: string;
  /**
   * The stored ticket if present, well-formed, of this room/endpoint and not expired (beyond
   * {@link EXPIRY_GRACE_MS}); else null. An expired admission is dropped, the ticket kept.
   */
  load(): StoredTicket | null;
  /** Saves a ticket (never throws; falls back to memory when storage refuses). */
  save(record: TicketRecord): void;
  /** Forgets the ticket everywhere. */
  clear(): void;
  /** Whether the last operation had to use the in-memory fallback. */
  readonly usingFallback: boolean;
}

/** @returns the storage key of a room's ticket: `queue-gate:v1:ticket:<endpoint>:<room>`. */
export function ticketStorageKey(endpoint: string, room: string): string {
  return `queue-gate:v${TICKET_STORE_VERSION}:ticket:${endpoint}:${room}`;
}

function parseStored(raw: string | null, endpoint: string, room: string): StoredTicket | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    v.v !== TICKET_STORE_VERSION ||
    v.room !== room ||
    v.endpoint !== endpoint ||
    typeof v.ticket !== 'string' ||
    v.ticket.length === 0 ||
    typeof v.seq !== 'number' ||
    !Number.isSafeInteger(v.seq) ||
    // 0 is a pre-open ticket, whose place the opening draw gives.
    v.seq < 0 ||
    typeof v.ticketExpiresAt !== 'number' ||
    !Number.isFinite(v.ticketExpiresAt)
  ) {
    return null;
  }
  const stored: StoredTicket = {
    v: TICKET_STORE_VERSION,
    ticket: v.ticket,
    seq: v.seq,
    room,
    endpoint,
    ticketExpiresAt: v.ticketExpiresAt,
  };
  if (typeof v.admission === 'string' && typeof v.admissionExpiresAt === 'number') {
    stored.admission = v.admission;
    stored.admissionExpiresAt = v.admissionExpiresAt;
  }
  return stored;
}

/**
 * Creates the ticket store of one room.
 *
 * @example
 * ```ts
 * const store = createTicketStore({ endpoint: 'https://queue.example.com', room: 'concert' });
 * store.save({ ticket, seq: 42, ticketExpiresAt: Date.now() + 86_400_000 });
 * store.load()?.seq; // 42, also after a reload
 * ```
 */
export function createTicketStore(options: TicketStoreOptions): TicketStore {
  const { endpoint, room } = options;
  const clock = options.clock ?? systemClock;
  const storage = options.storage === undefined ? localStorageOrNull() : options.storage;
  const key = ticketStorageKey(endpoint, room);
  // Holds the value when storage refuses it, so the page keeps its place for this session.
  const slot = createStorageSlot(storage, key);
  const read = () => slot.read();
  const remove = () => {
    slot.remove();
    // The progress bar's start belongs to this ticket's place: it goes with it.
    removeProgressStart(storage, endpoint, room);
  };

  return {
    key,
    get usingFallback() {
      return slot.usingFallback;
    },
    load() {
      const stored = parseStored(read(), endpoint, room);
      const now = clock.now();
      if (!stored || stored.ticketExpiresAt + EXPIRY_GRACE_MS <= now) {
        // Bad or stale data is removed so it cannot confuse the next load or another tab.
        if (read() !== null) remove();
        return null;
      }
      if (stored.admissionExpiresAt !== undefined && stored.admissionExpiresAt <= now) {
        delete stored.admission;
        delete stored.admissionExpiresAt;
      }
      return stored;
    },
    save(record) {
      const stored: StoredTicket = { ...record, v: TICKET_STORE_VERSION, room, endpoint };
      slot.write(JSON.stringify(stored));
    },
    clear: remove,
  };
}
