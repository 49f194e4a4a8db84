/** How often a visitor is told to ask again, before the per-position rule of the protocol. */
import type { RoomRecord } from '../store/queue-store.js';

/** Poll interval while a room does not move (paused, closed, not open yet), at least. */
const IDLE_POLL_MS = 5000;

/** Whether the line cannot move at `at`: the room is paused or closed, or not open yet. */
export function lineIsStill(record: RoomRecord, at: number): boolean {
  return record.status !== 'open' || (record.config.opensAt !== null && at < record.config.opensAt);
}

/** The room's base poll interval at `at`: its own, or longer while the line cannot move. */
export function basePoll(record: RoomRecord, at: number): number {
  const { pollAfterMs } = record.config;
  return lineIsStill(record, at) ? Math.max(pollAfterMs, IDLE_POLL_MS) : pollAfterMs;
}

/**
 * The rate visitors are told: the measured one (the last minute's moves), or 0 while the line
 * cannot move. Right after a pause the last minute still moved, and a screen would carry on
 * counting places down and promise "less than a minute" for a line that stands still.
 */
export function visitorRate(
  rateOf: (record: RoomRecord) => Promise<number>,
  record: RoomRecord,
  at: number,
): Promise<number> {
  return lineIsStill(record, at) ? Promise.resolve(0) : rateOf(record);
}
