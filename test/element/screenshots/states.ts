/**
 * Every screen of `<queue-gate>` as the snapshots that lead to it, for the screenshot tests:
 * pushed through the fake engine with the element's clock frozen at `NOW`, each renders the same
 * pixels every time.
 */
import type { QueueSnapshot } from '../../../src/core/types.js';
import { NOW } from '../fake-engine.js';

const MIN = 60_000;

/** One screen: a file-name-safe name and the snapshots pushed, in order. */
export interface ScreenState {
  name: string;
  steps: Partial<QueueSnapshot>[];
}

const waiting: Partial<QueueSnapshot> = {
  status: 'waiting',
  seq: 1_005_001,
  serving: 1_004_705,
  position: 296,
  ratePerSec: 0.2,
  estimate: { minMs: 14 * MIN, maxMs: 31 * MIN },
  roomStatus: 'open',
  ticketExpiresAt: NOW + 24 * 60 * MIN,
  holdSeconds: 300,
  lastUpdatedAt: NOW - 4000,
};

const admitted: Partial<QueueSnapshot> = {
  ...waiting,
  status: 'admitted',
  position: 0,
  admission: 'adm.token.sig',
  admissionExpiresAt: NOW + 5 * MIN,
};

/** The screens, in the order a visitor may meet them. */
export const SCREEN_STATES: ScreenState[] = [
  { name: 'joining', steps: [{ status: 'joining' }] },
  {
    name: 'pre-open',
    steps: [{ ...waiting, seq: null, position: null, opensAt: NOW + 8 * 60 * MIN + 16_000 }],
  },
  { name: 'waiting', steps: [waiting] },
  {
    name: 'reconnecting',
    steps: [
      waiting,
      {
        status: 'reconnecting',
        nextAttemptAt: NOW + 4000,
        lastUpdatedAt: NOW - 25 * MIN,
        failures: 9,
        failingSince: NOW - 25 * MIN,
        problem: { code: 'network', message: 'offline' },
      },
    ],
  },
  {
    name: 'busy',
    steps: [
      {
        status: 'reconnecting',
        ticketExpiresAt: null,
        nextAttemptAt: NOW + 4000,
        failures: 3,
        failingSince: NOW - 12_000,
        problem: { code: 'overloaded', message: 'busy', retryAt: NOW + 4000 },
      },
    ],
  },
  {
    name: 'room-missing',
    steps: [{ status: 'reconnecting', problem: { code: 'room_not_found', message: 'no room' } }],
  },
  {
    name: 'origin-refused',
    steps: [{ status: 'reconnecting', problem: { code: 'origin_not_allowed', message: 'origin' } }],
  },
  { name: 'paused', steps: [{ ...waiting, status: 'paused', roomStatus: 'paused' }] },
  { name: 'closed', steps: [{ ...waiting, status: 'closed', roomStatus: 'closed' }] },
  {
    name: 'cohort-not-open',
    steps: [
      {
        status: 'paused',
        cohortOpensAt: NOW + 26 * 60 * MIN,
        problem: { code: 'cohort_not_open', message: 'later', opensAt: NOW + 26 * 60 * MIN },
      },
    ],
  },
  {
    name: 'cohort-closed',
    steps: [
      {
        status: 'closed',
        cohortOpensAt: null,
        problem: { code: 'cohort_not_open', message: 'closed' },
      },
    ],
  },
  {
    name: 'sign-in',
    steps: [{ status: 'sign-in-required', problem: { code: 'identity_required', message: 'x' } }],
  },
  { name: 'admitting', steps: [{ ...waiting, status: 'admitting', position: 0 }] },
  { name: 'admitted', steps: [admitted] },
  { name: 'admission-expired', steps: [{ ...admitted, admissionExpiresAt: NOW - 1000 }] },
  {
    name: 'rejected',
    steps: [{ status: 'rejected', rejection: { code: 'token_expired', message: 'expired' } }],
  },
  {
    name: 'booked',
    steps: [{ status: 'booked', seq: 7, booking: { outcome: 'booked', restored: true } }],
  },
  {
    name: 'already-used',
    steps: [{ status: 'booked', booking: { outcome: 'already-used', restored: false } }],
  },
];
