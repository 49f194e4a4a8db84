/**
 * Claims and booked places of a {@link RedisStore} (see `redis-store.ts`), one Lua script each
 * (`redis-scripts.ts`). Unguarded: the store maps outages.
 */
import { claimOfPlace } from './claim-rules.js';
import { claimFromJson } from './redis-codec.js';
import { CLAIM_CLOCK_MARGIN_MS } from './redis-capacity-scripts.js';
import { noRoom } from './redis-guard.js';
import type { RedisKeys } from './redis-keys.js';
import { RETENTION } from './store-policy.js';
import type { ClaimCapacity, ClaimRecord } from './queue-store.js';

type Call = (name: string, keys: string[], args: Array<string | number>) => Promise<unknown>;

/** Claims of one store. */
export class RedisClaims {
  constructor(
    private readonly keys: RedisKeys,
    private readonly script: Call,
  ) {}

  async get(room: string, seq: number, now: number): Promise<ClaimRecord | null> {
    const keys = this.keys.room(room);
    const [json, admission, booked] = (await this.script(
      'qgGetClaim',
      [keys.claims, keys.admissions, keys.booked],
      [seq, now],
    )) as [string | null, string | null, number];
    const claim = json === null ? null : claimFromJson(json, admission);
    return claimOfPlace(seq, claim, Number(booked) === 1, now);
  }

  async record(
    room: string,
    claim: ClaimRecord,
    now: number,
    capacity?: ClaimCapacity,
  ): Promise<ClaimRecord | 'full'> {
    const keys = this.keys.room(room);
    const { admission, ...stored } = claim;
    const result = (await this.script(
      'qgRecordClaim',
      [keys.room, keys.claims, keys.admissions, keys.claimed, keys.booked, keys.active],
      [
        claim.seq,
        JSON.stringify(stored),
        admission,
        now,
        capacity?.maxActive ?? -1,
        capacity?.reserved ?? 0,
        RETENTION.claimMinKeepMs,
      ],
    ).catch(noRoom(room))) as [string | null, string | null, number] | 'full';
    if (result === 'full') return 'full';
    const holder = result[0] === null ? null : claimFromJson(result[0], result[1]);
    return claimOfPlace(claim.seq, holder, Number(result[2]) === 1, now)!;
  }

  /** See `ReservedClaimsCounter` in `claim-capacity.ts`: one short script, whatever the room holds. */
  async reservedFor(room: string, seq: number, now: number, claimGraceMs: number): Promise<number> {
    const keys = this.keys.room(room);
    const reserved = await this.script(
      'qgReservedForClaim',
      [keys.room, keys.advances, keys.claimed],
      [seq, now, claimGraceMs, CLAIM_CLOCK_MARGIN_MS],
    );
    return Number(reserved);
  }

  async book(room: string, seq: number, keepUntil: number, now: number): Promise<boolean> {
    const keys = this.keys.room(room);
    const won = await this.script(
      'qgBookPlace',
      [keys.room, keys.booked, keys.claims, keys.active],
      [seq, keepUntil, now],
    ).catch(noRoom(room));
    return Number(won) === 1;
  }
}
