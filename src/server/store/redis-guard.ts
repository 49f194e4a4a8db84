/**
 * How the {@link RedisStore} tells an outage from a bug: connection failures (refused, closed,
 * timed out, offline) become {@link StoreUnavailableError}, which the server answers with
 * `503 overloaded` and `Retry-After`; script errors, programming errors and
 * {@link RoomNotFoundError} stay what they are.
 */
import { ReplyError } from 'ioredis';
import { RoomNotFoundError, StoreUnavailableError } from './store-errors.js';

/** ioredis types its `ReplyError` (an error answer of Redis itself) loosely. */
export const isReplyError = (error: unknown): error is Error =>
  error instanceof (ReplyError as typeof Error);

/**
 * Redis answers that mean "try again shortly" rather than a bug in a script. `MOVED` and `ASK`
 * reach the store when a Cluster's slot map is in flux (a master lost or restarted): ioredis
 * follows a redirect only to a node it can reach at once, and gives the answer up otherwise.
 * `OOM` is a full Redis under `noeviction` (the policy docs/scaling.md asks for): an outage
 * to wait out, like a full disk, while keys expire or the operator makes room.
 */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|MOVED|ASK|OOM)\b/;

/** Keys of several Cluster slots in one script (Redis) or pipeline (ioredis). */
const CROSS_SLOT = /^CROSSSLOT|should belong to the same slot/;

/**
 * Leaves the arguments out of the command ioredis attaches to its errors, which the server logs
 * for a 500: a script's arguments may hold a ticket or a signed admission. The command's name
 * and its keys (a script's `KEYS`, a plain command's first argument) stay, to tell what failed.
 */
function withoutArguments(error: unknown): void {
  const command = (error as { command?: { name?: unknown; args?: unknown } } | null)?.command;
  if (!command || !Array.isArray(command.args)) return;
  const args: unknown[] = command.args;
  const script = command.name === 'evalsha' || command.name === 'eval';
  const kept = script ? args.slice(0, 2 + Number(args[1] ?? 0)) : args.slice(0, 1);
  const left = args.length - kept.length;
  command.args = left > 0 ? [...kept, `(${left} more, left out of logs)`] : kept;
}

/** Throws `error` as it is when it is a bug, else as {@link StoreUnavailableError}. */
export function unavailable(error: unknown): never {
  withoutArguments(error);
  const bug =
    error instanceof TypeError ||
    error instanceof SyntaxError ||
    error instanceof RangeError ||
    error instanceof RoomNotFoundError ||
    (isReplyError(error) && !TRANSIENT_REPLY.test(error.message)) ||
    // ioredis refuses a Cluster pipeline over several slots itself (not a ReplyError): a bug
    // in the key layout, not an outage, so it must not hide behind a 503.
    (error instanceof Error && CROSS_SLOT.test(error.message));
  if (bug || !(error instanceof Error)) throw error;
  throw new StoreUnavailableError('The queue store (Redis) is unreachable.', { cause: error });
}

/** Runs `operation`, turning connection failures into {@link StoreUnavailableError}. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    return unavailable(error);
  }
}

/** A script's `NOROOM` error answer as {@link RoomNotFoundError}; other errors as they are. */
export function noRoom(room: string): (error: unknown) => never {
  return (error) => {
    if (isReplyError(error) && error.message.startsWith('NOROOM')) {
      throw new RoomNotFoundError(room);
    }
    throw error;
  };
}
