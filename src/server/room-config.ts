/**
 * Validation of what an admin sends to `PUT /admin/rooms/:room`, and the defaults of a new room.
 * Every field is optional on update; unknown fields are refused so a typo is not silently ignored.
 */
import { ApiError } from './api-error.js';
import { parseDrawBeacon } from './draw-beacon.js';
import { parseRoomIdentity, settleRoomIdentity } from './identity/identity-settings.js';
import type { RoomIdentityInput } from './identity/identity-settings.js';
import type { CohortWindow, RoomConfig } from './store/queue-store.js';

/** Room settings as an admin sends them: the identity's hash key may be left to the server. */
export type RoomConfigPatch = Omit<Partial<RoomConfig>, 'identity'> & {
  identity?: RoomIdentityInput | null;
};

/** Defaults of a room created without them. */
export const DEFAULT_ROOM_CONFIG: Readonly<RoomConfig> = Object.freeze({
  admitPerMinute: 60,
  maxActive: null,
  holdSeconds: 300,
  audience: null,
  allowedOrigins: [],
  opensAt: null,
  pollAfterMs: 2000,
  identity: null,
  identityRequired: false,
});

/** Bounds of the numeric settings. */
export const ROOM_CONFIG_BOUNDS = {
  admitPerMinute: { min: 0, max: 1_000_000 },
  maxActive: { min: 1, max: 10_000_000 },
  holdSeconds: { min: 10, max: 86_400 },
  pollAfterMs: { min: 1000, max: 60_000 },
} as const;

const FIELDS = new Set<string>([
  'admitPerMinute',
  'maxActive',
  'holdSeconds',
  'audience',
  'allowedOrigins',
  'opensAt',
  'pollAfterMs',
  'cohorts',
  'identity',
  'identityRequired',
  'beacon',
]);

/** Cohort ids: short, URL- and claim-safe. */
export const COHORT_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** Most cohorts a room may have. */
export const MAX_COHORTS = 100;

const invalid = (message: string): ApiError => new ApiError(400, 'invalid_body', message);

function integerIn(name: keyof typeof ROOM_CONFIG_BOUNDS, value: unknown): number {
  const { min, max } = ROOM_CONFIG_BOUNDS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function origin(value: unknown): string {
  if (value === '*') return value;
  if (typeof value === 'string' && value.length <= 256) {
    try {
      const url = new URL(value);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value)
        return value;
    } catch {
      /* refused below */
    }
  }
  throw invalid('allowedOrigins must list origins like "https://shop.example" (no path), or "*".');
}

/**
 * How far ahead a room's opening may be scheduled: 30 days. Pre-open tickets live until the
 * opening plus the hold window, so the horizon bounds how long a ticket (and the signing key
 * that verifies it) must be honoured.
 */
export const OPENS_AT_HORIZON_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Checks an admin's room settings and returns the fields given; `now` (epoch ms) bounds
 * `opensAt` to {@link OPENS_AT_HORIZON_MS} ahead.
 *
 * @throws ApiError `invalid_body` (400) naming the first wrong field
 */
export function parseRoomConfigPatch(input: unknown, now = Date.now()): RoomConfigPatch {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('The body must be a JSON object of room settings.');
  }
  const patch: RoomConfigPatch = {};
  for (const [key, value] of Object.entries(input)) {
    // The unknown name is not echoed: error messages never carry what the request sent.
    if (!FIELDS.has(key)) {
      throw invalid(`Unknown room setting; the settings are ${[...FIELDS].join(', ')}.`);
    }
    switch (key) {
      case 'admitPerMinute':
      case 'holdSeconds':
      case 'pollAfterMs':
        patch[key] = integerIn(key, value);
        break;
      case 'maxActive':
        patch.maxActive = value === null ? null : integerIn('maxActive', value);
        break;
      case 'audience':
        if (
          value !== null &&
          (typeof value !== 'string' || value.length === 0 || value.length > 256)
        ) {
          throw invalid('audience must be a non-empty string of at most 256 characters, or null.');
        }
        patch.audience = value;
        break;
      case 'allowedOrigins':
        if (!Array.isArray(value) || value.length > 50) {
          throw invalid('allowedOrigins must be an array of at most 50 origins.');
        }
        patch.allowedOrigins = value.map(origin);
        break;
      case 'opensAt':
        patch.opensAt = parseOpensAt(value);
        if (patch.opensAt !== null && patch.opensAt > now + OPENS_AT_HORIZON_MS) {
          throw invalid('opensAt may be at most 30 days ahead.');
        }
        break;
      case 'cohorts':
        patch.cohorts = parseCohorts(value);
        break;
      case 'identity':
        patch.identity = parseRoomIdentity(value);
        break;
      case 'identityRequired':
        if (typeof value !== 'boolean') throw invalid('identityRequired must be true or false.');
        patch.identityRequired = value;
        break;
      case 'beacon':
        patch.beacon = value === null ? null : parseDrawBeacon(value);
        break;
    }
  }
  return patch;
}

/**
 * The last instant a JavaScript `Date` can hold: beyond it `new Date(ms)` is invalid, so a
 * client would show "Invalid Date" (or a booking site would crash) on the opening time.
 */
const LAST_DATE_MS = 8.64e15;

function parseOpensAt(value: unknown): number | null {
  if (value === null) return null;
  const ms = typeof value === 'string' ? Date.parse(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > LAST_DATE_MS) {
    throw invalid('opensAt must be epoch milliseconds, an ISO date string, or null.');
  }
  return Math.round(ms);
}

function parseCohorts(value: unknown): CohortWindow[] {
  if (!Array.isArray(value) || value.length > MAX_COHORTS) {
    throw invalid(`cohorts must be an array of at most ${MAX_COHORTS} cohorts.`);
  }
  const seen = new Set<string>();
  return value.map((item: unknown) => {
    const cohort = (typeof item === 'object' && item !== null ? item : {}) as Record<
      string,
      unknown
    >;
    const id = cohort['id'];
    if (typeof id !== 'string' || !COHORT_ID_PATTERN.test(id) || seen.has(id)) {
      throw invalid('Each cohort needs a unique id of 1-32 letters, digits, "-" or "_".');
    }
    seen.add(id);
    const extra = Object.keys(cohort).filter((key) => !['id', 'opensAt', 'closesAt'].includes(key));
    if (extra.length > 0) throw invalid('A cohort has only id, opensAt and closesAt.');
    const opensAt = parseOpensAt(cohort['opensAt']);
    if (opensAt === null) throw invalid('Each cohort needs an opensAt.');
    const closesAt = cohort['closesAt'] === undefined ? null : parseOpensAt(cohort['closesAt']);
    if (closesAt !== null && closesAt <= opensAt) {
      throw invalid('A cohort closesAt must come after its opensAt.');
    }
    return { id, opensAt, closesAt };
  });
}

/**
 * Applies `patch` over `base` (or the defaults for a new room). A room given `identity` keeps
 * its hash key unless the patch names one, and gets a new one the first time.
 *
 * @throws ApiError `invalid_body` (400) for `identityRequired` without `identity`
 */
export function mergeRoomConfig(base: RoomConfig | null, patch: RoomConfigPatch): RoomConfig {
  const from = base ?? DEFAULT_ROOM_CONFIG;
  const { identity, ...rest } = patch;
  const merged = {
    ...from,
    ...rest,
    identity:
      identity === undefined
        ? (from.identity ?? null)
        : settleRoomIdentity(identity, from.identity),
  };
  if (merged.identityRequired === true && merged.identity === null) {
    throw invalid(
      'identityRequired needs identity: set identity { issuer, jwks } in the same or an earlier request.',
    );
  }
  return {
    ...merged,
    allowedOrigins: [...merged.allowedOrigins],
    cohorts: (merged.cohorts ?? []).map((cohort) => ({ ...cohort })),
  };
}
