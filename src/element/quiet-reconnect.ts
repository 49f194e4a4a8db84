/**
 * One failed request on a flaky network is not a lost connection. The core reports the truth at
 * once (status `reconnecting`, with `failures` and `failingSince`) and keeps its backoff; the
 * element waits before saying so: for the first failures it keeps the screen the visitor was
 * on, with a small "Reconnecting…" line in space reserved for it, and announces nothing. Only
 * failures that last change the screen (and are announced, once).
 *
 * An overloaded server is not a flaky network: it answered, and said when to come back, so its
 * screen (with the countdown on "Try now") shows at once. Setup mistakes show at once too.
 */
import type { QueueSnapshot } from '../core/types.js';
import { isServerBusy, isSetupMistake } from './server-busy.js';
import { holdsPlace } from './place-truth.js';

/** Failures in a row that change the screen however quickly they came. */
export const LOST_AFTER_FAILURES = 3;
/** How long failures must last (with at least two of them) to change the screen. */
export const LOST_AFTER_MS = 10_000;

/**
 * Whether `s` is a reconnect the screen keeps quiet about at `now`: fewer than
 * {@link LOST_AFTER_FAILURES} failures, and either a single one or less than
 * {@link LOST_AFTER_MS} of them. A failed poll is retried only at the next poll's time, so one
 * failure can stand for a while: it alone never changes the screen.
 */
export function isQuietReconnect(s: QueueSnapshot | null, now: number): boolean {
  if (s?.status !== 'reconnecting' || isServerBusy(s.problem) || isSetupMistake(s.problem)) {
    return false;
  }
  // An engine that does not count its failures gets the screen at once, as before.
  const { failures, failingSince } = s;
  if (failures === undefined || failingSince == null) return false;
  return failures < LOST_AFTER_FAILURES && (failures < 2 || now - failingSince < LOST_AFTER_MS);
}

/**
 * The snapshot as the screen and the live region present it at `now`: during a quiet reconnect,
 * the screen before it (waiting with a place, joining without one); otherwise `s` itself.
 */
export function presentedSnapshot(s: QueueSnapshot | null, now: number): QueueSnapshot | null {
  if (!s || !isQuietReconnect(s, now)) return s;
  return { ...s, status: holdsPlace(s) ? 'waiting' : 'joining' };
}
