/**
 * An optional gate in front of new places: a site that sees bots take thousands of places can
 * ask for a proof of work (see `proof-of-work.ts`) or a bot check before a place is handed out.
 *
 * Why only new places: a visitor who already holds a ticket has paid once; asking again on
 * every reload would punish the people the line is for. Off by default, because any
 * challenge costs real visitors time and battery, and no single choice fits every site.
 */
import type { Context } from 'hono';
import { ApiError } from './api-error.js';
import type { QueueAppEnv } from './app-env.js';

/** A pluggable check of a join request (a proof of work, a CAPTCHA token, a bot score). */
export interface JoinChallenge {
  /**
   * Whether this request may take a new place in `room`. Must be cheap for the server and
   * must not read the body (the join route reads it); use headers.
   */
  verify(request: Request, room: string): Promise<boolean>;
  /** Tells a refused client what to solve: sent as the `Queue-Gate-Challenge` header. */
  describe?(room: string): string;
}

/** Header of a refused join that says what the challenge is. */
export const CHALLENGE_HEADER = 'Queue-Gate-Challenge';

/**
 * Runs `challenge` for a join request of `room`.
 *
 * @throws ApiError 403 `forbidden` with a `Queue-Gate-Challenge` header when it is not met
 * @example
 * ```ts
 * await requireJoinChallenge(createProofOfWorkChallenge({ bits: 18 }), c, 'launch');
 * ```
 */
export async function requireJoinChallenge(
  challenge: JoinChallenge,
  c: Context<QueueAppEnv>,
  room: string,
): Promise<void> {
  if (await challenge.verify(c.req.raw, room)) return;
  const described = challenge.describe?.(room);
  throw new ApiError(
    403,
    'forbidden',
    'This room asks for a challenge to be solved before a new place is handed out.',
    described ? { [CHALLENGE_HEADER]: described } : {},
  );
}
