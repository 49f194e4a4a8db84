/**
 * Signs the server's tickets and admissions (Ed25519 JWS) and verifies tickets coming back.
 *
 * Tickets hold a visitor's place for a day at least (refreshed while the place lasts, and a
 * pre-open ticket until its opening); admissions are short-lived, single-use passes for
 * the booking backend, which verifies them against {@link TokenSigner.jwks} without any secret.
 */
import { SignJWT } from 'jose';
import type { JWK, JWTVerifyGetKey } from 'jose';
import { TOKEN_TYPES } from '../protocol.js';
import type {
  AdmissionClaims,
  FairnessSnapshotClaims,
  TicketClaims,
  FAIRNESS_TOKEN_TYPES,
} from '../protocol.js';
import { TokenError } from '../verify/errors.js';
import {
  DEFAULT_CLOCK_TOLERANCE_SEC,
  TOKEN_ALGORITHM,
  verifySignedToken,
} from '../verify/verify-signed-token.js';
import { createKeyring } from './keyring.js';
import { checkTicketInput, positiveSeconds } from './token-input.js';
import { OPENS_AT_HORIZON_MS, ROOM_CONFIG_BOUNDS } from './room-config.js';
import type { StoredSigningKey } from './keyring.js';

export { TokenError };
export type { StoredSigningKey };

/** Default ticket lifetime: a day, longer than any line is expected to last. */
export const DEFAULT_TICKET_TTL_SECONDS = 24 * 60 * 60;
const MAX_HOLD_SECONDS = ROOM_CONFIG_BOUNDS.holdSeconds.max;

/** Default admission lifetime: long enough to fill a form's first step, short enough not to be shared. */
export const DEFAULT_ADMISSION_TTL_SECONDS = 120;

/** Options of {@link createTokenSigner}. */
export interface TokenSignerOptions {
  /** `iss` of every token, e.g. the server's public origin. */
  issuer: string;
  /** Persisted keys to load; when absent or empty, one is generated. */
  keys?: StoredSigningKey[];
  /** Clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Ticket lifetime in seconds (default 24 h). */
  ticketTtlSeconds?: number;
  /** Admission lifetime in seconds (default 120). */
  admissionTtlSeconds?: number;
  /** Allowance for clock differences when verifying tickets, in seconds (default 10). */
  clockToleranceSec?: number;
  /**
   * Reloads the keys from where they are shared (see `stored-signer.ts`), asked when a ticket
   * names a key this signer does not know: another process may have rotated since the last sync.
   * Asked at most once a second, however many such tickets arrive.
   */
  reloadKeys?: () => Promise<void>;
}

/** Least time between two reloads for unknown keys: a flood of made-up `kid`s costs one a second. */
const UNKNOWN_KID_RELOAD_MS = 1000;

/** `typ` of a fairness fact other than a snapshot. */
export type FairnessFactType = (typeof FAIRNESS_TOKEN_TYPES)['commitment' | 'reveal' | 'series'];

/** The JWK Set as served: every published key, the current one first. */
export interface PublishedKeys {
  keys: JWK[];
  /** `kid` of the key that signs now. */
  current: string;
  /** `kid` of the key the next rotation makes current. */
  next: string;
}

/** Claims of a new ticket. */
export interface TicketInput {
  sub: string;
  room: string;
  /** At least 1; 0 only for a pre-open ticket (`pre: true`). */
  seq: number;
  /** A pre-open ticket: its place comes from the opening draw. */
  pre?: true;
  /** The visitor's cohort, in a room with cohorts. */
  cohort?: string;
  /** The identity hash of a place bound to a person (see `identity-hash.ts`). */
  idh?: string;
  /**
   * When the ticket expires at the earliest, epoch seconds (a pre-open ticket must outlive the
   * opening, however far ahead it is); never sooner than the signer's ticket lifetime from now.
   */
  expiresAt?: number;
}

/** Claims of a new admission; `jti` defaults to a random UUID, `ttlSeconds` to the signer's. */
export interface AdmissionInput extends Omit<TicketInput, 'pre' | 'expiresAt'> {
  aud: string;
  jti?: string;
  ttlSeconds?: number;
  /**
   * When the place's hold ends, epoch ms (default: now): the admission's `placeExp` is the
   * latest `exp` an admission signed until then can carry.
   */
  holdEndsAt?: number;
}

/** A freshly signed token with its claims; `expiresAt` is in epoch milliseconds. */
export interface SignedToken<Claims> {
  token: string;
  claims: Claims;
  expiresAt: number;
}

/** Signs and verifies the server's tokens; see {@link createTokenSigner}. */
export interface TokenSigner {
  /** `iss` of every token this signer makes. */
  readonly issuer: string;
  /** Signs a ticket that holds place `seq` in `room` for visitor `sub`. */
  signTicket(claims: TicketInput): Promise<SignedToken<TicketClaims>>;
  /** Signs a short-lived, single-use admission for the booking site `aud`. */
  signAdmission(claims: AdmissionInput): Promise<SignedToken<AdmissionClaims>>;
  /**
   * Signs a fairness snapshot (`typ: queue-gate-fairness+jwt`): "every seq up to `serving` had
   * been called at `at`". Verifiable against {@link TokenSigner.jwks} by anyone.
   */
  signFairness(input: Omit<FairnessSnapshotClaims, 'iss' | 'iat'>): Promise<string>;
  /**
   * Signs a public fairness fact (draw commitment, reveal, series) with `claims` plus `iss`.
   * `iat` is the caller's: a commitment carries the time it was made, a reveal the draw's.
   */
  signFact<Claims extends { room: string; iat: number }>(
    typ: FairnessFactType,
    claims: Claims,
  ): Promise<string>;
  /**
   * Verifies a ticket for `room`.
   *
   * @throws {TokenError} `token_wrong_type` for an admission, `token_wrong_room`, `token_expired`, ...
   */
  verifyTicket(
    token: string,
    expected: { room: string; acceptExpired?: boolean },
  ): Promise<TicketClaims>;
  /** The admission lifetime, in seconds. */
  readonly admissionTtlSeconds: number;
  /**
   * Public keys (current, next published ahead of rotation, retired-but-still-verifying), as
   * served at /.well-known/jwks.json, with `current` and `next` naming the signing key and the
   * one published ahead (extra JWK Set members, which JOSE libraries ignore). Frozen, and the
   * same object until the keys change.
   */
  jwks(): PublishedKeys;
  /** New current key; the old one keeps verifying until everything it signed has expired. */
  rotate(): Promise<void>;
  /** Replaces the keys by `keys` (another process rotated them in the shared store). */
  replaceKeys(keys: StoredSigningKey[]): Promise<void>;
  /** Everything needed to persist and reload the keys (private: store it like a password). */
  exportKeys(): StoredSigningKey[];
}

/**
 * Creates the server's token signer.
 *
 * @example
 * ```ts
 * const signer = await createTokenSigner({ issuer: 'https://queue.example.com', keys: saved });
 * const { token, expiresAt } = await signer.signTicket({ sub: visitorId, room: 'launch', seq: 42 });
 * const claims = await signer.verifyTicket(token, { room: 'launch' }); // claims.seq === 42
 * await save(signer.exportKeys());
 * ```
 */
export async function createTokenSigner(options: TokenSignerOptions): Promise<TokenSigner> {
  const { issuer } = options;
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer is required.');
  const now = options.now ?? Date.now;
  const ticketTtl = positiveSeconds(
    options.ticketTtlSeconds,
    DEFAULT_TICKET_TTL_SECONDS,
    'ticketTtlSeconds',
  );
  const admissionTtl = positiveSeconds(
    options.admissionTtlSeconds,
    DEFAULT_ADMISSION_TTL_SECONDS,
    'admissionTtlSeconds',
  );
  const tolerance = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
  // A retired key must outlive every token it signed, including the verifiers' clock allowance.
  const maxTtl = Math.max(ticketTtl, admissionTtl);
  // A pre-open ticket lives until its opening (at most the horizon) plus the hold and a day.
  const longestTicket = OPENS_AT_HORIZON_MS / 1000 + MAX_HOLD_SECONDS + ticketTtl;
  const loadKeys = (keys: StoredSigningKey[] | undefined) =>
    createKeyring({ keys, now, retainMs: (Math.max(maxTtl, longestTicket) + tolerance) * 1000 });
  let keyring = await loadKeys(options.keys);

  const sign = async (typ: string, claims: object): Promise<string> => {
    const { kid, privateKey } = keyring.current();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ, kid })
      .sign(privateKey);
  };

  let jwksSet: PublishedKeys | undefined;

  const reloadForUnknownKid = throttledReload(options.reloadKeys);
  const resolveKey: JWTVerifyGetKey = async (header) => {
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    let key = kid === undefined ? undefined : keyring.verificationKey(kid);
    if (key === undefined && kid !== undefined && (await reloadForUnknownKid())) {
      key = keyring.verificationKey(kid);
    }
    if (key === undefined) throw new TokenError('token_unknown_kid');
    return key;
  };

  return {
    issuer,
    async signTicket(input) {
      checkTicketInput(input);
      const iat = Math.floor(now() / 1000);
      const claims: TicketClaims = {
        iss: issuer,
        sub: input.sub,
        room: input.room,
        seq: input.seq,
        iat,
        exp: Math.max(iat + ticketTtl, Math.ceil(input.expiresAt ?? 0)),
        ...(input.pre ? { pre: true as const } : {}),
        ...(input.cohort !== undefined ? { cohort: input.cohort } : {}),
        ...(input.idh !== undefined ? { idh: input.idh } : {}),
      };
      return {
        token: await sign(TOKEN_TYPES.ticket, claims),
        claims,
        expiresAt: claims.exp * 1000,
      };
    },
    async signAdmission(input) {
      checkTicketInput(input);
      if (typeof input.aud !== 'string' || input.aud === '')
        throw new TypeError('aud is required.');
      if (input.jti !== undefined && (typeof input.jti !== 'string' || input.jti === '')) {
        throw new TypeError('jti must be a non-empty string.');
      }
      const ttl = positiveSeconds(input.ttlSeconds, admissionTtl, 'ttlSeconds');
      if (ttl > maxTtl) throw new RangeError(`ttlSeconds must be at most ${maxTtl}.`);
      const holdEndsAt = input.holdEndsAt ?? now();
      if (!Number.isFinite(holdEndsAt)) throw new TypeError('holdEndsAt must be epoch ms.');
      const iat = Math.floor(now() / 1000);
      // Never before this admission's own expiry, so the promise holds whatever the clock did.
      const placeExp = Math.max(Math.floor(holdEndsAt / 1000) + admissionTtl, iat + ttl);
      const claims: AdmissionClaims = {
        iss: issuer,
        sub: input.sub,
        room: input.room,
        seq: input.seq,
        aud: input.aud,
        jti: input.jti ?? globalThis.crypto.randomUUID(),
        iat,
        exp: iat + ttl,
        placeExp,
        ...(input.cohort !== undefined ? { cohort: input.cohort } : {}),
        ...(input.idh !== undefined ? { idh: input.idh } : {}),
      };
      return {
        token: await sign(TOKEN_TYPES.admission, claims),
        claims,
        expiresAt: claims.exp * 1000,
      };
    },
    async signFairness(input) {
      const claims: FairnessSnapshotClaims = {
        iss: issuer,
        room: input.room,
        serving: input.serving,
        issued: input.issued,
        at: input.at,
        iat: Math.floor(now() / 1000),
      };
      return sign(TOKEN_TYPES.fairness, claims);
    },
    signFact(typ, claims) {
      return sign(typ, { iss: issuer, ...claims });
    },
    verifyTicket(token, expected) {
      return verifySignedToken(token, 'ticket', resolveKey, {
        room: expected.room,
        issuer,
        clockToleranceSec: tolerance,
        now,
        acceptExpired: expected.acceptExpired === true,
      });
    },
    admissionTtlSeconds: admissionTtl,
    jwks() {
      const keys = keyring.publicJwks();
      if (jwksSet?.keys !== keys) {
        jwksSet = Object.freeze({ keys, current: keys[0]!.kid!, next: keys[1]!.kid! });
      }
      return jwksSet;
    },
    rotate() {
      return keyring.rotate();
    },
    async replaceKeys(keys) {
      keyring = await loadKeys(keys);
    },
    exportKeys() {
      return keyring.export();
    },
  };
}

/**
 * `reload` shared by concurrent callers and run at most once per {@link UNKNOWN_KID_RELOAD_MS};
 * resolves whether a reload ran (or was running) for this caller. A failed reload counts as none.
 */
function throttledReload(reload: (() => Promise<void>) | undefined): () => Promise<boolean> {
  let running: Promise<boolean> | undefined;
  let lastStarted = -Infinity;
  return () => {
    if (reload === undefined) return Promise.resolve(false);
    if (running) return running;
    // Real time, not the signer's clock: tests freeze that, and the throttle is about load.
    if (Date.now() - lastStarted < UNKNOWN_KID_RELOAD_MS) return Promise.resolve(false);
    lastStarted = Date.now();
    running = reload().then(
      () => true,
      () => false,
    );
    void running.finally(() => (running = undefined));
    return running;
  };
}
