/**
 * What the polite live region says. Screen-reader users need to hear that something meaningful
 * changed, not every tick of a smoothly moving position, so this announces status changes and
 * the moments the line crosses a milestone (1000, 100, 50, 10, 5 people ahead), nothing else.
 * A status change is said as the screen shows it: its heading and its sentence, from the same
 * strings (the opening time before an opening, the deadline once admitted, the place only
 * while there is one).
 */
import type { QueueSnapshot } from '../core/types.js';
import type { Localizer } from './localize.js';
import { isOriginRefused, isRoomMissing, isServerBusy } from './server-busy.js';
import { peopleAhead } from './people-ahead.js';
import { placeSentence } from './place-truth.js';

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

/** The heading and sentence of a waiting screen: the line, or the countdown to an opening. */
function waitingText(next: QueueSnapshot, l: Localizer, now: number): string {
  const { t } = l;
  if (next.opensAt != null) return `${t.preOpenTitle}. ${t.preOpen(l.time(next.opensAt, now))}`;
  return next.position === null
    ? t.waitingTitle
    : `${t.waitingTitle}. ${t.aheadLabel}: ${aheadText(next.position, l)}`;
}

/** The heading and sentence of a screen where nobody is let in: the cohort's, or the room's. */
function notLettingInText(next: QueueSnapshot, l: Localizer, now: number): string {
  const { t } = l;
  if (next.problem?.code === 'cohort_not_open') {
    const opensAt = next.cohortOpensAt ?? null;
    const notice = opensAt === null ? t.cohortClosed : t.cohortNotOpen(l.time(opensAt, now));
    return `${t.cohortTitle}. ${notice}`;
  }
  const [title, notice] =
    next.status === 'paused' ? [t.pausedTitle, t.paused] : [t.closedTitle, t.closed];
  return `${title}. ${notice} ${placeSentence(next, l, now)}`;
}

/** The heading and sentence of a reconnecting screen. */
function reconnectingText(next: QueueSnapshot, l: Localizer, now: number): string {
  const { t } = l;
  if (isOriginRefused(next.problem)) return `${t.originRefusedTitle}. ${t.originRefused}`;
  if (isRoomMissing(next.problem)) return `${t.roomMissingTitle}. ${t.roomMissing}`;
  const [title, lead] = isServerBusy(next.problem)
    ? [t.busyTitle, t.busy]
    : [t.reconnectingTitle, t.reconnecting];
  return `${title}. ${lead} ${placeSentence(next, l, now)}`;
}

/** What to say when the screen changes to `next`'s status. */
function statusText(next: QueueSnapshot, l: Localizer, now: number): string | null {
  const { t } = l;
  switch (next.status) {
    case 'joining':
      return t.joining;
    case 'waiting':
      return waitingText(next, l, now);
    case 'reconnecting':
      return reconnectingText(next, l, now);
    case 'paused':
    case 'closed':
      return notLettingInText(next, l, now);
    case 'admitting':
      return t.admitting;
    case 'admitted': {
      // Focus moves to the booking form: the deadline must be heard before it.
      const until = next.admissionExpiresAt === null ? null : l.time(next.admissionExpiresAt, now);
      return `${t.admittedTitle}. ${t.admitted(until)}`;
    }
    case 'rejected':
      return `${t.rejectedTitle}. ${t.rejected(next.rejection?.code ?? '')}`;
    case 'sign-in-required': {
      const refused = next.problem !== null && next.problem.code !== 'identity_required';
      return `${t.signInTitle}. ${refused ? t.signInAgain : t.signInNeeded}`;
    }
    case 'booked':
      return next.booking?.outcome === 'already-used' ? t.alreadyUsedTitle : t.bookedTitle;
    default:
      return null;
  }
}

/**
 * @param previous - the snapshot announced against (null on the first one)
 * @param next - the new snapshot, as the screen presents it (see `quiet-reconnect.ts`)
 * @param l - the localizer of the element
 * @param now - the element's time (for the clock times said)
 * @returns the sentence to announce, or null when nothing meaningful changed
 */
export function announcementFor(
  previous: QueueSnapshot | null,
  next: QueueSnapshot,
  l: Localizer,
  now = Date.now(),
): string | null {
  const { t } = l;
  const opened = (previous?.opensAt != null) !== (next.opensAt != null);
  if (previous?.status !== next.status || opened) return statusText(next, l, now);
  if (next.status === 'waiting' && next.position !== null) {
    const crossed = milestoneOf(next.position) < milestoneOf(previous.position);
    if (crossed) return `${t.aheadLabel}: ${aheadText(next.position, l)}`;
  }
  return null;
}
