/** Checks of what the token signer is asked to sign: wrong input is a bug, so it throws. */
import { isValidRoomId } from '../protocol.js';
import type { TicketInput } from './token-signer.js';

/** Throws on a ticket or admission input no valid token could carry. */
export function checkTicketInput(input: TicketInput): void {
  if (typeof input.sub !== 'string' || input.sub === '') throw new TypeError('sub is required.');
  if (!isValidRoomId(input.room)) throw new TypeError('room is not a valid room id.');
  if (input.pre === true) {
    if (input.seq !== 0) throw new RangeError('A pre-open ticket has seq 0.');
  } else if (!Number.isSafeInteger(input.seq) || input.seq < 1) {
    throw new RangeError('seq must be an integer of at least 1.');
  }
  if (input.cohort !== undefined && (typeof input.cohort !== 'string' || input.cohort === '')) {
    throw new TypeError('cohort must be a non-empty string when given.');
  }
}

/** `value` as whole seconds (at least 1), `fallback` when absent. */
export function positiveSeconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number of seconds, at least 1.`);
  }
  return value;
}
