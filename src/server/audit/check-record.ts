/**
 * Checks a room's public fairness record the way an outside auditor would: every signed fact
 * against the JWKS, the revealed seed against the commitment, the commitment's time against the
 * opening, the published lists against the signed digests, the beacon round and value of a draw
 * bound to one (`check-beacon.ts`), the series never going back and, given one's own ticket, its
 * place in the draw (recomputed from the seed and the beacon value). Only jose and WebCrypto, so the demo's fairness
 * panel runs exactly this code in a browser and `queue-gate audit` runs it in Node.
 */
import type { JSONWebKeySet } from 'jose';
import { FAIRNESS_TOKEN_TYPES, TOKEN_TYPES } from '../../protocol.js';
import type {
  DrawCommitmentClaims,
  DrawRevealClaims,
  FairnessRecord,
  FairnessSeriesClaims,
  FairnessSnapshotClaims,
  TicketClaims,
} from '../../protocol.js';
import { drawCommitment } from '../opening-draw.js';
import { countsDigest, entrantsDigest, seriesDigest } from './fairness-digests.js';
import { checkBeaconCommitted, checkBeaconValue } from './check-beacon.js';
import { checkTicketPlace } from './check-ticket.js';
import { factKeys, verifyFact } from './verify-fact.js';
import type { FactKeys } from './verify-fact.js';

/** One fact checked: what, whether it held, and the detail a reader needs. */
export interface AuditCheck {
  /** Short stable name, e.g. `commitment-signature`. */
  name: string;
  ok: boolean;
  detail: string;
}

/** What {@link auditFairnessRecord} checks. */
export interface AuditInput {
  /** The room the record must be about. */
  room: string;
  record: FairnessRecord;
  /** The server's JWK Set (`/.well-known/jwks.json`). */
  jwks: JSONWebKeySet;
  /** One's own ticket (compact JWS), to check its place in the draw. */
  ticket?: string;
  /** The beacon round's value as the auditor read it from the beacon itself (hex). */
  beaconValue?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Runs every check that applies to the record; the audit passes when every check is `ok`.
 *
 * @example
 * ```ts
 * const checks = await auditFairnessRecord({ room: 'launch', record, jwks });
 * const passed = checks.every((check) => check.ok);
 * ```
 */
export async function auditFairnessRecord(input: AuditInput): Promise<AuditCheck[]> {
  const checks: AuditCheck[] = [];
  const check = (name: string, ok: boolean, detail: string): boolean => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const { record, room } = input;
  check('room', record.room === room, `the record is about room "${record.room}"`);
  const keys = factKeys(input.jwks);
  const verified = async <Claims>(name: string, token: string | null, typ: string) => {
    if (typeof token !== 'string') {
      check(name, false, `the record carries no signed ${typ}`);
      return null;
    }
    try {
      const claims = await verifyFact<Claims & { room: string }>(token, typ, keys);
      check(name, claims.room === room, `signed (${typ}) for room "${claims.room}"`);
      return claims;
    } catch (error) {
      check(name, false, `does not verify: ${(error as Error).message}`);
      return null;
    }
  };

  await checkDraw(input, verified, check);
  await checkSeries(record, verified, check);
  await checkSnapshots(record, verified, check);
  if (input.ticket !== undefined) await checkTicket(input, keys, check);
  return checks;
}

type Verified = <Claims>(
  name: string,
  token: string | null,
  typ: string,
) => Promise<(Claims & { iss: string; room: string }) | null>;
type Check = (name: string, ok: boolean, detail: string) => boolean;

async function checkDraw(input: AuditInput, verified: Verified, check: Check): Promise<void> {
  const { draw, signed } = input.record;
  if (draw === null) {
    check('draw', signed.commitment === null, 'no scheduled opening: nothing drawn');
    return;
  }
  const committed = await verified<DrawCommitmentClaims>(
    'commitment-signature',
    signed.commitment,
    FAIRNESS_TOKEN_TYPES.commitment,
  );
  if (committed === null) return;
  check(
    'commitment-matches',
    committed.commitment === draw.commitment && committed.committedAt === draw.committedAt,
    `signed commitment ${committed.commitment} at ${iso(committed.committedAt)}`,
  );
  check(
    'commitment-before-opening',
    committed.committedAt < committed.opensAt && committed.iat * 1000 <= committed.committedAt,
    `committed ${iso(committed.committedAt)}, for an opening at ${iso(committed.opensAt)}`,
  );
  const withBeacon = checkBeaconCommitted(committed, draw, check);
  if (draw.drawnAt === null) {
    check('draw-pending', signed.reveal === null && draw.seed === null, 'the draw has not run yet');
    return;
  }
  const revealed = await verified<DrawRevealClaims>(
    'reveal-signature',
    signed.reveal,
    FAIRNESS_TOKEN_TYPES.reveal,
  );
  if (revealed === null) return;
  const seed = draw.seed ?? '';
  check(
    'seed-matches-commitment',
    HEX64.test(seed) &&
      seed === revealed.seed &&
      revealed.commitment === committed.commitment &&
      (await drawCommitment(seed)) === committed.commitment,
    `sha256(seed ${seed.slice(0, 16)}…) = ${(await drawCommitment(seed)).slice(0, 16)}…`,
  );
  check(
    'drawn-after-commitment',
    revealed.drawnAt === draw.drawnAt &&
      revealed.drawnAt > committed.committedAt &&
      revealed.drawnAt >= draw.opensAt,
    `drawn ${iso(revealed.drawnAt)}, at or after the opening (${iso(draw.opensAt)})`,
  );
  const entrants = draw.entrants ?? [];
  check(
    'entrants-match',
    (await entrantsDigest(entrants)) === revealed.entrantsDigest &&
      new Set(entrants).size === revealed.entrants &&
      entrants.length === revealed.entrants &&
      draw.entrantCount === revealed.entrants &&
      draw.base === revealed.base,
    `${revealed.entrants} entrants drawn after seq ${revealed.base}`,
  );
  if (withBeacon) checkBeaconValue(revealed, committed, draw, check, input.beaconValue);
}

async function checkSeries(
  record: FairnessRecord,
  verified: Verified,
  check: Check,
): Promise<void> {
  const signed = await verified<FairnessSeriesClaims>(
    'series-signature',
    record.signed.series,
    FAIRNESS_TOKEN_TYPES.series,
  );
  if (signed !== null) {
    check(
      'series-matches',
      signed.seriesDigest === (await seriesDigest(record.series)) &&
        signed.countsDigest === (await countsDigest(record.admissionsPerMinute)),
      `${record.series.length} samples and ${record.admissionsPerMinute.length} minutes as signed`,
    );
  }
  check(
    'series-never-back',
    neverBack(record.series),
    `serving and issued never decrease over ${record.series.length} samples`,
  );
}

async function checkSnapshots(
  record: FairnessRecord,
  verified: Verified,
  check: Check,
): Promise<void> {
  const points: Array<{ at: number; serving: number; issued: number }> = [];
  for (const [index, token] of record.snapshots.entries()) {
    const claims = await verified<FairnessSnapshotClaims>(
      `snapshot-${index + 1}-signature`,
      token,
      FAIRNESS_TOKEN_TYPES.snapshot,
    );
    if (claims !== null) points.push(claims);
  }
  check(
    'snapshots-never-back',
    neverBack(points),
    `${points.length} signed snapshots, serving and issued never decrease`,
  );
}

async function checkTicket(input: AuditInput, keys: FactKeys, check: Check): Promise<void> {
  let claims: TicketClaims;
  try {
    claims = await verifyFact<TicketClaims>(input.ticket!, TOKEN_TYPES.ticket, keys);
  } catch (error) {
    check('ticket-signature', false, `your ticket does not verify: ${(error as Error).message}`);
    return;
  }
  check('ticket-signature', claims.room === input.room, `your ticket, sub ${claims.sub}`);
  const { ok, detail } = await checkTicketPlace(claims, input.record.draw);
  check('ticket-place', ok, detail);
}

/** True when no point is behind the one before it in time, serving or issued. */
function neverBack(points: ReadonlyArray<{ at: number; serving: number; issued: number }>) {
  return points.every(
    (p, i) =>
      i === 0 ||
      (p.at >= points[i - 1]!.at &&
        p.serving >= points[i - 1]!.serving &&
        p.issued >= points[i - 1]!.issued),
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();
