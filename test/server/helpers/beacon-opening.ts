/**
 * A room whose opening draw is bound to a beacon round, scheduled through the admin API of a
 * test server with a fixed seed, with pre-open visitors who joined before the opening; and the
 * admin call that supplies the round's value.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { adminCall, join, startTestServer } from './test-server.js';
import type { LooseJson, TestServer } from './test-server.js';

export const BEACON_SEED = '5e'.repeat(32);
export const BEACON = { id: 'local-test', round: 1000 };
/** Two values of the round: the one the beacon published, and another. */
export const BEACON_VALUE = '0f1e2d3c4b5a6978'.repeat(4);
export const OTHER_BEACON_VALUE = '8796a5b4c3d2e1f0'.repeat(4);

/** A test server whose draws all get {@link BEACON_SEED}. */
export function startBeaconServer(): Promise<TestServer> {
  const commitment = createHash('sha256').update(Buffer.from(BEACON_SEED, 'hex')).digest('hex');
  return startTestServer({ rooms: {}, drawSeed: () => ({ seed: BEACON_SEED, commitment }) });
}

/** The room's fairness record as it is now (the clock moved past the record's 5 s cache). */
export async function fairnessNow(server: TestServer, room: string): Promise<LooseJson> {
  server.clock.advance(6000);
  return (await fetch(`${server.url}/rooms/${room}/fairness`)).json();
}

/**
 * Schedules `room` 10 minutes ahead, bound to {@link BEACON}, lets `entrants` visitors join
 * before the opening, and moves the clock to the opening.
 *
 * @returns the pre-open tickets and the fairness record as it was before the opening
 */
export async function openBeaconRoom(
  server: TestServer,
  room: string,
  entrants: number,
  settings: Record<string, unknown> = {},
): Promise<{ tickets: string[]; scheduled: LooseJson }> {
  const opensAt = server.clock.now() + 10 * 60_000;
  const put = await adminCall(server, 'PUT', room, { opensAt, beacon: BEACON, ...settings });
  assert.equal(put.status, 201);
  const scheduled = await fairnessNow(server, room);
  const tickets: string[] = [];
  for (let i = 0; i < entrants; i += 1) {
    const answer = await join(server, room);
    assert.equal(answer.json.pre, true);
    tickets.push(answer.json.ticket);
  }
  server.clock.advance(10 * 60_000);
  return { tickets, scheduled };
}

/** `POST /admin/rooms/<room>/beacon` with `body`. */
export function supplyBeacon(server: TestServer, room: string, body: unknown): Promise<Response> {
  return adminCall(server, 'POST', `${room}/beacon`, body);
}
