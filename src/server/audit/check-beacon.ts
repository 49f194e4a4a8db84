/**
 * The audit's checks of a draw bound to a public beacon round: that the commitment named the
 * round the record shows, that the signed reveal carries the same round and the value the record
 * orders with, and (given the value an auditor read from the beacon) that it is the beacon's.
 */
import type { DrawCommitmentClaims, DrawRevealClaims, FairnessDraw } from '../../protocol.js';

type Check = (name: string, ok: boolean, detail: string) => boolean;

const HEX = /^(?:[0-9a-f]{2}){16,64}$/;

const roundName = (beacon: { id: string; round: number }): string =>
  `round ${beacon.round} of beacon "${beacon.id}"`;

/**
 * Before the reveal: the commitment and the record name the same beacon round (or neither one).
 * Returns whether the draw is bound to a beacon.
 */
export function checkBeaconCommitted(
  committed: DrawCommitmentClaims,
  draw: FairnessDraw,
  check: Check,
): boolean {
  const promised = committed.beacon ?? null;
  const shown = draw.beacon ?? null;
  if (promised === null && shown === null) return false;
  const same =
    promised !== null &&
    shown !== null &&
    promised.id === shown.id &&
    promised.round === shown.round &&
    promised.url === shown.url;
  check(
    'beacon-committed',
    same,
    promised === null
      ? 'the record shows a beacon the signed commitment did not name'
      : `the commitment named ${roundName(promised)}${same ? '' : ', the record shows another'}`,
  );
  return true;
}

/**
 * After the reveal: the signed reveal carries the committed round and the record's value (or,
 * while the draw waits, no value on either side); `publicValue`, when given, is the beacon's.
 */
export function checkBeaconValue(
  revealed: DrawRevealClaims,
  committed: DrawCommitmentClaims,
  draw: FairnessDraw,
  check: Check,
  publicValue?: string,
): void {
  const signed = revealed.beacon;
  const value = draw.beacon?.value ?? null;
  const round =
    signed !== undefined &&
    committed.beacon !== undefined &&
    signed.id === committed.beacon.id &&
    signed.round === committed.beacon.round;
  if (signed === undefined) {
    check('beacon-value-matches', false, 'the signed reveal names no beacon round');
    return;
  }
  if (signed.value === null || value === null) {
    check(
      'beacon-pending',
      round && signed.value === null && value === null,
      signed.value === value
        ? `the entrants are frozen and signed; the draw waits for ${roundName(signed)}`
        : 'the record and the signed reveal disagree on whether the value came',
    );
    return;
  }
  check(
    'beacon-value-matches',
    round && HEX.test(value) && signed.value === value,
    `ordered with ${roundName(signed)}: ${value.slice(0, 16)}…${signed.value === value ? '' : ` (signed: ${signed.value.slice(0, 16)}…)`}`,
  );
  if (publicValue !== undefined) {
    check(
      'beacon-value-public',
      publicValue.toLowerCase() === value,
      `the value you gave for ${roundName(signed)} is ${publicValue.toLowerCase() === value ? 'the one' : 'not the one'} the draw used`,
    );
  }
}
