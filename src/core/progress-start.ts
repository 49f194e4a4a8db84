/**
 * Where a place's progress bar starts, kept beside its ticket. The bar measures how far the line
 * moved since the visitor first saw their place: the start is the largest position seen. Kept
 * only in memory, a reload would measure from the position at the reload (72 % became 16 %)
 * while the screen says reloading is safe; so it is stored with the ticket, and forgotten with it
 * (the ticket store removes this key whenever it removes the ticket).
 *
 * It also remembers that the place came from an opening draw: the visitor's number is then a
 * drawn number, which the screen says (a pre-open ticket is stored with `seq` 0).
 */
import type { StorageLike } from './storage-slot.js';

/** Version of the stored shape, in the key: another version's record is never read. */
const PROGRESS_START_VERSION = 1;

/** What is kept for the place `seq` of one room. */
export interface ProgressStart {
  /** The place (0 for a pre-open ticket, whose place the opening draw gives). */
  seq: number;
  /** The largest position seen for this place, or null before any. */
  start: number | null;
  /** Whether the place was given by an opening draw. */
  fromDraw: boolean;
}

/** @returns the storage key: `queue-gate:v1:progress:<endpoint>:<room>`, beside the ticket's. */
export function progressStartKey(endpoint: string, room: string): string {
  return `queue-gate:v${PROGRESS_START_VERSION}:progress:${endpoint}:${room}`;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Reads the record; anything malformed (another version, a curious user) reads as none. */
export function loadProgressStart(
  storage: StorageLike | null,
  endpoint: string,
  room: string,
): ProgressStart | null {
  let value: unknown;
  try {
    value = JSON.parse(storage?.getItem(progressStartKey(endpoint, room)) ?? 'null');
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { seq, start, fromDraw } = value as Record<string, unknown>;
  if (!isCount(seq) || !(start === null || isCount(start)) || typeof fromDraw !== 'boolean') {
    return null;
  }
  return { seq, start, fromDraw };
}

/** Saves the record; a storage that refuses costs only the survival across a reload. */
export function saveProgressStart(
  storage: StorageLike | null,
  endpoint: string,
  room: string,
  record: ProgressStart,
): void {
  try {
    storage?.setItem(progressStartKey(endpoint, room), JSON.stringify(record));
  } catch {
    // Blocked or full: the page keeps the start in memory for its own life.
  }
}

/** Forgets the record (with the ticket it belongs to). Never throws. */
export function removeProgressStart(
  storage: StorageLike | null,
  endpoint: string,
  room: string,
): void {
  try {
    storage?.removeItem(progressStartKey(endpoint, room));
  } catch {
    // Nothing to do: a storage that cannot be reached holds nothing this page could read.
  }
}
