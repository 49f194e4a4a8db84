/** The two targets of the conformance suite: the real server over HTTP, and the mocks. */
import { createQueueSimulator } from '../../src/mocks/queue-simulator.js';
import { startTestServer } from '../server/helpers/test-server.js';
import type { TestServerOptions } from '../server/helpers/test-server.js';
import { ALLOWED_ORIGIN, COHORT_LATER, COHORT_OPEN, recording } from './suite.js';
import type { Target } from './suite.js';

const START = Date.UTC(2026, 0, 1, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

/** Rooms of the test server: the demo room, a second room, one with cohorts, one with maxActive. */
export const SERVER_ROOMS: TestServerOptions['rooms'] = {
  demo: { admitPerMinute: 0, holdSeconds: 600, allowedOrigins: [ALLOWED_ORIGIN] },
  other: { admitPerMinute: 0 },
  full: { admitPerMinute: 0, maxActive: 1 },
  cohorts: {
    admitPerMinute: 0,
    cohorts: [
      { id: COHORT_OPEN, opensAt: START - DAY, closesAt: null },
      { id: COHORT_LATER, opensAt: START + DAY, closesAt: null },
    ],
  },
};

/** The real server on a free port (close it with `target.server.close()`). */
export async function serverTarget(options: TestServerOptions = {}): Promise<Target> {
  const server = await startTestServer({ rooms: SERVER_ROOMS, ...options });
  const seen = new Set<string>();
  return {
    kind: 'server',
    server,
    seen,
    fetch: recording((path, init) => fetch(`${server.url}${path}`, init), seen),
    advance: async (by) => void (await server.service.advance('demo', by)),
    setStatus: async (status) => void (await server.service.setStatus('demo', status)),
    skipTime: async (ms) => server.clock.advance(ms),
  };
}

/**
 * The rooms the mocks serve: one simulator per room (each the real server with one room), made
 * with the same settings as {@link SERVER_ROOMS} through the simulator's `roomSettings`. Tokens
 * of one simulator are not signed by another's key, so cases that carry a token between rooms
 * stay server-only.
 */
const MOCK_ROOMS = ['demo', 'full', 'cohorts'] as const;

/** The mocks' simulators, answering through `handle()` (no faults), in Node. */
export function mocksTarget(): Target {
  let now = START;
  const simulators = new Map(
    MOCK_ROOMS.map((room) => {
      const { admitPerMinute: _rate, holdSeconds, ...roomSettings } = SERVER_ROOMS![room]!;
      const simulator = createQueueSimulator({
        room,
        now: () => now,
        holdSeconds: holdSeconds ?? 600,
        roomSettings,
      });
      return [room, simulator] as const;
    }),
  );
  const demo = simulators.get('demo')!;
  /** The simulator of the path's room; the demo one answers every other path. */
  const simulatorFor = (path: string) =>
    simulators.get(/^\/rooms\/([^/]+)\//.exec(path)?.[1] as (typeof MOCK_ROOMS)[number]) ?? demo;
  const seen = new Set<string>();
  return {
    kind: 'mocks',
    seen,
    fetch: recording(
      (path, init) => simulatorFor(path).handle(new Request(`https://queue.test${path}`, init)),
      seen,
    ),
    advance: (by) => demo.advance(by),
    setStatus: (status) => demo.setStatus(status),
    skipTime: async (ms) => {
      now += ms;
      for (const simulator of simulators.values()) await simulator.snapshot();
    },
  };
}
