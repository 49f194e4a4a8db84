/**
 * The public beacon a room's opening draw may be bound to: the room setting `beacon`
 * (`{ id, round, url? }`), the value of its round as the admin or the beacon supplies it, and
 * the fetch of that value where the server may reach the beacon.
 *
 * Why a beacon: with the seed alone, the operator knows the order from the commitment on and
 * could pick a `sub` the draw puts first. Bound to a round published only after the entrant
 * list froze, the order is unknown to everybody, the operator included, until the list is fixed.
 */
import type { DrawBeacon } from '../protocol.js';
import { ApiError } from './api-error.js';

/** Beacon ids: short and safe in a claim, a log line and a Redis hash field. */
export const BEACON_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** A beacon round's value: 16 to 64 bytes as hex (drand's randomness is 32). */
const BEACON_VALUE_PATTERN = /^(?:[0-9a-fA-F]{2}){16,64}$/;

/** How long a fetch of a beacon round may take before it counts as failed, ms. */
export const BEACON_FETCH_TIMEOUT_MS = 5000;

const invalid = (message: string): ApiError => new ApiError(400, 'invalid_body', message);

/**
 * Checks the room setting `beacon`.
 *
 * @throws ApiError `invalid_body` (400) naming what is wrong
 */
export function parseDrawBeacon(value: unknown): DrawBeacon {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('beacon must be { id, round, url? } or null.');
  }
  const { id, round, url, ...extra } = value as Record<string, unknown>;
  if (Object.keys(extra).length > 0) throw invalid('beacon has only id, round and url.');
  if (typeof id !== 'string' || !BEACON_ID_PATTERN.test(id)) {
    throw invalid('beacon.id must be 1-64 letters, digits, ".", "_", ":" or "-".');
  }
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1) {
    throw invalid('beacon.round must be a positive integer.');
  }
  if (url === undefined) return { id, round };
  return { id, round, url: beaconUrl(url) };
}

function beaconUrl(value: unknown): string {
  if (typeof value === 'string' && value.length <= 256) {
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash) {
        return url.href.replace(/\/+$/, '');
      }
    } catch {
      /* refused below */
    }
  }
  throw invalid('beacon.url must be an http(s) URL without query, at most 256 characters.');
}

/**
 * A beacon value as the admin sends it, as lowercase hex.
 *
 * @throws ApiError `invalid_body` (400) when it is not 16-64 bytes of hex
 */
export function parseBeaconValue(value: unknown): string {
  if (typeof value !== 'string' || !BEACON_VALUE_PATTERN.test(value)) {
    throw invalid('"value" must be the round\'s value as hex: 32 to 128 hex digits.');
  }
  return value.toLowerCase();
}

/** Where a beacon publishes a round: `<url>/public/<round>`, drand's HTTP API. */
export function beaconRoundUrl(beacon: DrawBeacon & { url: string }): string {
  return `${beacon.url}/public/${beacon.round}`;
}

/**
 * Fetches the committed round from the beacon's URL: its `randomness` (lowercase hex) when the
 * beacon answers that very round, null when it does not yet (or cannot be reached, or answers
 * anything else): the draw then keeps waiting, and the admin can still supply the value.
 */
export async function fetchBeaconValue(
  beacon: DrawBeacon,
  doFetch: typeof fetch = globalThis.fetch,
  timeoutMs = BEACON_FETCH_TIMEOUT_MS,
): Promise<string | null> {
  if (beacon.url === undefined) return null;
  try {
    const response = await doFetch(beaconRoundUrl({ ...beacon, url: beacon.url }), {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { round?: unknown; randomness?: unknown };
    if (body.round !== beacon.round) return null;
    return parseBeaconValue(body.randomness);
  } catch {
    return null;
  }
}
