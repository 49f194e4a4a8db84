/**
 * What the polite live region says. Screen-reader users need to hear that something meaningful
 * changed, not every tick of a smoothly moving position, so this announces status changes and
 * the moments the line crosses a milestone (1000, 100, 50, 10, 5 people ahead), nothing else.
 */
import type { QueueSnapshot } from '../core/types.js';
import type { Localizer } from './localize.js';
import { isOriginRefused, isRoomMissing, isServerBusy } from './server-busy.js';
import { peopleAhead } from './people-ahead.js';

/** "13 people" for the people ahead of a visitor at `position`. */
function aheadText(position: number, l: Localizer): string {
  const ahead = peopleAhead(position) ?? 0;
  return l.t.ahead(ahead, l.number(ahead));
}

const MILESTONES = [100_000, 10_000, 1000, 500, 100, 50, 10, 5, 1] as const;

function milestoneOf(position: number | null): number {
  if (position === null) return Number.POSITIVE_INFINITY;
  return MILESTONES.find((m) => position >= m) ?? 0;
}

/**
 * @param previous - the snapshot announced against (null on the first one)
 * @param next - the new snapshot
 * @param l - the localizer of the element
 * @returns the sentence to announce, or null when nothing meaningful changed
 */
export function announcementFor(
  previous: QueueSnapshot | null,
  next: QueueSnapshot,
  l: Localizer,
): string | null {
  const { t } = l;
  if (previous?.status !== next.status) {
    switch (next.status) {
      case 'joining':
        return t.joining;
      case 'waiting':
        return next.position === null
          ? t.waitingTitle
          : `${t.waitingTitle}. ${t.aheadLabel}: ${aheadText(next.position, l)}`;
      case 'reconnecting':
        if (isOriginRefused(next.problem)) return `${t.originRefusedTitle}. ${t.originRefused}`;
        if (isRoomMissing(next.problem)) return `${t.roomMissingTitle}. ${t.roomMissing}`;
        return isServerBusy(next.problem)
          ? `${t.busyTitle}. ${t.busy(null)}`
          : `${t.reconnectingTitle}. ${t.reconnecting(null)}`;
      case 'paused':
        return `${t.pausedTitle}. ${t.paused}`;
      case 'closed':
        return `${t.closedTitle}. ${t.closed}`;
      case 'admitting':
        return t.admitting;
      case 'admitted':
        return t.admittedTitle;
      case 'rejected':
        return `${t.rejectedTitle}. ${t.rejected(next.rejection?.code ?? '')}`;
      case 'sign-in-required':
        return t.signInTitle;
      case 'booked':
        return next.booking?.outcome === 'already-used' ? t.alreadyUsedTitle : t.bookedTitle;
      default:
        return null;
    }
  }
  if (next.status === 'waiting' && next.position !== null) {
    const crossed = milestoneOf(next.position) < milestoneOf(previous.position);
    if (crossed) return `${t.aheadLabel}: ${aheadText(next.position, l)}`;
  }
  return null;
}
