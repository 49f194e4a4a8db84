/** English strings for `<queue-gate>`; the fallback for every other language. */
import type { Translation } from '../localize.js';

const REJECTIONS: Record<string, string> = {
  token_expired: 'Your place in line expired.',
  hold_expired: 'Your turn came and went: the time to claim it has passed.',
  place_released:
    'This place was given up for your other place in this line (signed in elsewhere). Join again to get it back.',
};

/** The built-in English translation. */
export const en: Translation = {
  $code: 'en',
  $dir: 'ltr',
  regionLabel: 'Waiting room',
  joining: 'Getting your place in line…',
  waitingTitle: 'You are in line',
  placeLabel: 'Your number',
  aheadLabel: 'Ahead of you',
  ahead: (count, n) => (count === 0 ? 'No one' : count === 1 ? '1 person' : `${n} people`),
  etaLabel: 'Estimated wait',
  etaUnknown: 'Estimate not yet known',
  etaSoon: 'Less than a minute',
  etaMinutes: (min, max) => (min === max ? `About ${max} min` : `About ${min}–${max} min`),
  etaHours: (min, max) => (min === max ? `About ${max} hours` : `About ${min}–${max} hours`),
  etaUnder: (max) => `Less than ${max} min`,
  etaLong: (min, max, at) => `About ${min}–${max} hours, around ${at}`,
  etaStale: (estimate) =>
    `Last known: ${estimate.charAt(0).toLowerCase()}${estimate.slice(1)}. We’ll update when we reconnect.`,
  progressLabel: 'Progress to the front of the line',
  updatedAgo: (seconds, n) => (seconds < 2 ? 'Updated just now' : `Updated ${n} s ago`),
  updatedNever: 'Not updated yet',
  reloadSafe: 'You can safely reload this page; your place is kept.',
  reloadUnsafe:
    'Your browser does not let this page remember your place: reloading or closing it loses the place.',
  openOwnTab: 'Open the waiting room in its own tab (a new place in line, kept across reloads)',
  reconnectingTitle: 'Connection lost',
  reconnecting: 'We cannot reach the waiting room right now.',
  reconnectingInline: 'Reconnecting…',
  busyTitle: 'The waiting room is very busy',
  roomMissingTitle: 'This waiting room is not open here',
  roomMissing:
    'The queue server does not know this waiting room. Please try again later or contact the site.',
  originRefusedTitle: 'This page is not set up for this waiting room',
  originRefused: 'Please try again later or contact the site.',
  busy: 'Too many people are asking at once.',
  notInLineYet: 'You are not in the line yet; we keep trying to get you a place.',
  placeKept: 'Your place in line is kept.',
  turnClockRunning: (until) =>
    until
      ? `Your turn has come and the time to claim it is running: it ends around ${until}.`
      : 'Your turn has come and the time to claim it is running.',
  retryingIn: (seconds, n) => (seconds < 1 ? 'Trying again now…' : `Trying again in ${n} s.`),
  retryNow: 'Try now',
  retryNowIn: (n) => `Try again in ${n} s`,
  preOpenTitle: 'The waiting room opens soon',
  preOpen: (at) =>
    `It opens at ${at}. Everyone who arrives before then gets a fair random place: no need to rush.`,
  opensIn: (clock) => `Opens in ${clock}`,
  cohortTitle: 'Not your group’s turn yet',
  cohortNotOpen: (at) => `Your group can join from ${at}. Come back then, or keep this page open.`,
  cohortClosed: 'Your group’s booking window has closed.',
  pausedTitle: 'The line is paused',
  paused: 'Nobody is being let in for now; keep this page open.',
  closedTitle: 'This waiting room is closed',
  closed: 'Nobody is being let in; check the site for news.',
  admittingTitle: 'It’s your turn',
  admitting: 'It’s your turn, connecting…',
  admittedTitle: 'It’s your turn',
  admitted: (until) =>
    until ? `Complete your booking before ${until}.` : 'Complete your booking now.',
  admissionExpiredTitle: 'Your admission expired',
  admissionExpired: 'The form was not sent in time. You can claim your admission again.',
  reclaim: 'Claim admission again',
  rejectedTitle: 'Your place could not be kept',
  rejected: (code) =>
    REJECTIONS[code] ?? 'The waiting room did not accept your ticket. You can join the line again.',
  rejoin: 'Join the line again',
  bookedTitle: 'Booking complete',
  booked: 'Your turn in line was used for your booking. You can close this page.',
  alreadyUsedTitle: 'This place was already used to book',
  alreadyUsed: 'Each turn in line books once. To book again, join the line again.',
  signInTitle: 'Please sign in to join this line',
  signInNeeded: 'This waiting room gives one place per person: sign in to join it.',
  signInAgain: 'Your sign-in could not be confirmed. Please sign in again.',
  signInLink: 'Sign in',
  titleTurn: 'It’s your turn!',
  notifyButton: 'Notify me when it’s my turn',
  notifyBody: 'Your turn has come. Go back to the page to continue.',
  holdNotice: (duration) => `When it’s your turn, you’ll have ${duration} to book.`,
  timeLeftLabel: 'Time left to book',
  turnEndingSoon: 'Less than a minute left. Please complete your booking now.',
  openingNow: 'Opening now… drawing places',
  drawPlaced: (count, n) =>
    `The opening draw has placed you in line: ${count === 0 ? 'no one was' : count === 1 ? '1 person was' : `${n} people were`} ahead of you when you got your place.`,
  placeFromDrawLabel: 'Your number from the draw',
};
