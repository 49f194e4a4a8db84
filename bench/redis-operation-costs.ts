/**
 * What each visitor request costs Redis, counted exactly: round trips and commands the server
 * sends (a script call counts once) through a counting proxy (`redis-command-counter.ts`),
 * commands Redis executes (including those inside scripts) from `INFO commandstats`, and the
 * bytes Redis answers. A real server (`startQueueServer`) over real HTTP, one request at a time
 * with the ticker and the counter flush off, so the counts are exact and repeatable.
 *
 * Shared by the Redis bench (which prints the figures) and `test/server/redis-round-trips.test.ts`
 * (which bounds them, so a change that adds a round trip to a hot path fails a test).
 */
import type { Redis } from 'ioredis';
import { startQueueServer } from '../src/server/node-server.js';
import { startRedisCommandCounter } from './redis-command-counter.js';

/** What one request cost Redis. */
export interface RedisCost {
  roundTrips: number;
  /** Commands sent (a script call is one). */
  sent: number;
  /** Commands Redis executed, those inside scripts included. */
  executed: number;
  answerBytes: number;
}

/** The costs of each kind of request, one entry per request measured (the first of each left out). */
export interface RedisOperationCosts {
  /** One at a time: the slowest rate, where every join takes a fresh block of one seq. */
  join: RedisCost[];
  /** 200 joins at once, per join (round trips overlap there, so they are not counted). */
  concurrentJoin: RedisCost;
  state: RedisCost[];
  firstClaim: RedisCost[];
  repeatClaim: RedisCost[];
  /** First claims in a room with `maxActive`, each finding one more claim in the room. */
  cappedFirstClaim: RedisCost[];
  /** `/demo/book`: verify the admission, book its place once. */
  booking: RedisCost[];
  /** The admin's advance of the line (not a visitor's request). */
  advance: RedisCost[];
}

const ADMIN_TOKEN = 'operation-costs-admin-token-0123456789';

/** Commands Redis has executed so far, leaving out the `INFO` calls that read them. */
async function executedCommands(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info') total += Number(match[2]);
  }
  return total;
}

/**
 * Measures every kind of request against the Redis at `redis.url` (`redis.client` reads its
 * statistics), under a key prefix of its own.
 *
 * @example
 * ```ts
 * const costs = await measureRedisOperationCosts(await startTestRedis());
 * console.log(costs.firstClaim[0]);
 * ```
 */
export async function measureRedisOperationCosts(redis: {
  url: string;
  client: Redis;
}): Promise<RedisOperationCosts> {
  const counter = await startRedisCommandCounter(redis.url);
  const server = await startQueueServer({
    port: 0,
    dataDir: null,
    adminToken: ADMIN_TOKEN,
    staticRoot: null,
    redisUrl: counter.url,
    redisKeyPrefix: 'costs:',
    rooms: { plain: { admitPerMinute: 0 }, capped: { admitPerMinute: 0, maxActive: 1000 } },
    // No ticker and no counter flush: only the requests measured talk to Redis.
    tickIntervalMs: 0,
    flushIntervalMs: 0,
    logError: () => {},
  });
  const post = (path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
  const join = (room: string) => post(`/rooms/${room}/join`, {}, '{}');
  const admit = (room: string, ticket: string) =>
    post(`/rooms/${room}/admit`, { Authorization: `Bearer ${ticket}` });
  const advance = (room: string, by: number) =>
    post(
      `/admin/rooms/${room}/advance`,
      { Authorization: `Bearer ${ADMIN_TOKEN}` },
      `{"by":${by}}`,
    );
  const field = async (answer: Response, name: string) => {
    const body = (await answer.json()) as Record<string, string>;
    if (!answer.ok) throw new Error(`${answer.status}: ${JSON.stringify(body)}`);
    return body[name]!;
  };

  /** What `work` cost, after checking that every answer was a 2xx. */
  const costOf = async (work: () => Promise<Response[] | Response>): Promise<RedisCost> => {
    const start = {
      roundTrips: counter.roundTrips(),
      sent: counter.commands(),
      executed: await executedCommands(redis.client),
      answerBytes: counter.answerBytes(),
    };
    for (const answer of [await work()].flat()) {
      const text = await answer.text();
      if (!answer.ok) throw new Error(`${answer.url}: ${answer.status} ${text}`);
    }
    return {
      roundTrips: counter.roundTrips() - start.roundTrips,
      sent: counter.commands() - start.sent,
      executed: (await executedCommands(redis.client)) - start.executed,
      answerBytes: counter.answerBytes() - start.answerBytes,
    };
  };
  /** The cost of each request of `requests` one after another, but the first (warm-up). */
  const each = async (requests: Array<() => Promise<Response>>) => {
    const costs: RedisCost[] = [];
    for (const request of requests) costs.push(await costOf(request));
    return costs.slice(1);
  };
  /** `count` visitors whose turn came. */
  const admitted = async (room: string, count: number) => {
    const tickets: string[] = [];
    for (let i = 0; i < count; i += 1) tickets.push(await field(await join(room), 'ticket'));
    // Past every seq handed out (the line never passes `issued`).
    await field(await advance(room, 100_000), 'serving');
    return tickets;
  };

  try {
    const times = (n: number, request: () => Promise<Response>) =>
      Array.from({ length: n }, () => request);
    const joins = await each(times(6, () => join('plain')));
    const n = 200;
    const burst = await costOf(() => Promise.all(Array.from({ length: n }, () => join('plain'))));
    const concurrentJoin = {
      roundTrips: Number.NaN,
      sent: burst.sent / n,
      executed: burst.executed / n,
      answerBytes: burst.answerBytes / n,
    };
    const state = await each(times(6, () => fetch(`${server.url}/rooms/plain/state`)));
    const tickets = await admitted('plain', 6);
    const admissions: string[] = [];
    const firstClaim = await each(
      tickets.map((ticket) => async () => {
        const answer = await admit('plain', ticket);
        admissions.push(await field(answer.clone(), 'admission'));
        return answer;
      }),
    );
    const repeatClaim = await each(tickets.map((ticket) => () => admit('plain', ticket)));
    const booking = await each(
      admissions.map(
        (admission) => () =>
          post('/demo/book?room=plain', { Authorization: `Bearer ${admission}` }),
      ),
    );
    const capped = await admitted('capped', 40);
    const cappedFirstClaim = await each(capped.map((ticket) => () => admit('capped', ticket)));
    const advances = await each(times(4, () => advance('plain', 1)));
    return {
      join: joins,
      concurrentJoin,
      state,
      firstClaim,
      repeatClaim,
      cappedFirstClaim,
      booking,
      advance: advances,
    };
  } finally {
    await server.close();
    await counter.close();
  }
}

/** The highest of each figure over `costs`. */
export function highestCost(costs: readonly RedisCost[]): RedisCost {
  const highest = (key: keyof RedisCost) => Math.max(...costs.map((cost) => cost[key]));
  return {
    roundTrips: highest('roundTrips'),
    sent: highest('sent'),
    executed: highest('executed'),
    answerBytes: highest('answerBytes'),
  };
}
