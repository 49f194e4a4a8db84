/** How often a visitor is told to ask again, before the per-position rule of the protocol. */
import type { RoomRecord } from '../store/queue-store.js';

/** Poll interval while a room does not move (paused, closed, not open yet), at least. */
const IDLE_POLL_MS = 5000;

/** The room's base poll interval at `at`: its own, or longer while the line cannot move. */
export function basePoll(record: RoomRecord, at: number): number {
  const idle =
    record.status !== 'open' || (record.config.opensAt !== null && at < record.config.opensAt);
  return idle ? Math.max(record.config.pollAfterMs, IDLE_POLL_MS) : record.config.pollAfterMs;
}
