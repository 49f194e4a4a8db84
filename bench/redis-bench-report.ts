/**
 * The text and tables of the Redis section of BENCHMARKS.md, from what `redis-store-bench.ts`
 * measured: joins per second and per core used, what this machine can and cannot show, and
 * what each request costs Redis.
 */
import { availableParallelism } from 'node:os';
import { count, markdownTable, ratio, verdict } from './markdown-table.js';
import { highestCost } from './redis-operation-costs.js';
import type { RedisCost, RedisOperationCosts } from './redis-operation-costs.js';

/** What one setup did over all its slices. */
export interface Measured {
  ok: number;
  errors: number;
  ms: number;
  /** CPU seconds of its servers, of Redis and of the load generator (this process). */
  serverCpu: number;
  redisCpu: number;
  generatorCpu: number;
}

const perSecond = (m: Measured) => m.ok / (m.ms / 1000);
/** Cores busy on average: CPU seconds over wall-clock seconds. */
const cores = (cpuSeconds: number, m: Measured) => cpuSeconds / (m.ms / 1000);
/** Joins per CPU second of the servers (and of Redis, when it served them). */
const perCore = (m: Measured, withRedis: boolean) =>
  m.ok / (m.serverCpu + (withRedis ? m.redisCpu : 0));

/** The four setups, measured side by side. */
export interface Runs {
  memory: Measured;
  /** Two embedded processes, each with its own line: what sharing the cores costs alone. */
  memoryTwo: Measured;
  redisOne: Measured;
  redisTwo: Measured;
}

/** A cost as a table row: the highest of several requests, or one averaged figure. */
function costRow(name: string, all: RedisCost[] | RedisCost): string[] {
  const cost = Array.isArray(all) ? highestCost(all) : all;
  const figure = (value: number, digits: number) =>
    Number.isInteger(value) ? String(value) : value.toFixed(digits);
  return [
    name,
    Number.isNaN(cost.roundTrips) ? '–' : String(cost.roundTrips),
    figure(cost.sent, 2),
    figure(cost.executed, 1),
    count(cost.answerBytes),
  ];
}

/**
 * Joins per second with a core for each process, at the CPU per join measured: each server
 * until its own core is full, Redis until its own is, whichever comes first.
 */
function withOwnCores(m: Measured, processes: number): number {
  const byServers = processes * (m.ok / m.serverCpu);
  return Math.min(byServers, m.redisCpu > 0 ? m.ok / m.redisCpu : Infinity);
}

export function redisSection(
  options: { durationMs: number; connections: number; loadAverage: number },
  runs: Runs,
  costs: RedisOperationCosts,
): string {
  const { memory, memoryTwo, redisOne, redisTwo } = runs;
  const two = perSecond(redisTwo) / perSecond(memory);
  const row = (name: string, m: Measured, withRedis: boolean) => [
    name,
    count(perSecond(m)),
    ratio(perSecond(m), perSecond(memory)),
    cores(m.serverCpu, m).toFixed(2),
    withRedis ? cores(m.redisCpu, m).toFixed(2) : '–',
    cores(m.generatorCpu, m).toFixed(2),
    count(perCore(m, withRedis)),
    String(m.errors),
  ];
  const micros = (cpu: number, m: Measured) => `${Math.round((cpu / m.ok) * 1e6)} µs`;
  const embeddedAlone = withOwnCores(memory, 1);
  // Like for like: one process each, alone with the load generator, scaled to two processes.
  const projected = withOwnCores(redisOne, 2);
  const generator = Math.max(
    ...[memory, memoryTwo, redisOne, redisTwo].map((m) => cores(m.generatorCpu, m)),
  );
  return [
    '## Joins with the Redis store',
    '',
    `Closed loop, ${options.connections} keep-alive connections (split evenly over the processes), ` +
      `${options.durationMs / 1000} s per setup in 6 alternating slices after 1 s of warm-up each; ` +
      'servers are `queue-gate serve` child processes, Redis a local `redis-server`. CPU is each ' +
      "process's user + system time from `/proc` over its setup's slices, in cores busy on average; " +
      '"joins per core-second" divides the joins by the CPU of the servers and Redis together.',
    '',
    markdownTable(
      [
        'setup',
        'joins/s',
        'vs embedded store',
        'server CPU (cores)',
        'Redis CPU (cores)',
        'load generator CPU (cores)',
        'joins per core-second',
        'errors',
      ],
      [
        row('embedded store, 1 process (baseline)', memory, false),
        row('embedded store, 2 processes, each its own line (no shared queue)', memoryTwo, false),
        row('Redis store, 1 process', redisOne, true),
        row('Redis store, 2 processes', redisTwo, true),
      ],
    ),
    '',
    'Goal, on a machine where each process has its own core: 2 processes on Redis at least 0.8x ' +
      `the embedded store. Measured here, on shared cores: ${verdict(two >= 0.8)} ` +
      `(${two.toFixed(2)}x). Estimated with a core each, from the CPU per join (see below): ` +
      `${(projected / embeddedAlone).toFixed(2)}x, not a measurement.`,
    '',
    `What this machine can and cannot show. It has ${availableParallelism()} CPU(s), shared by ` +
      `the servers, Redis, the load generator (up to ${generator.toFixed(2)} cores busy itself) ` +
      `and whatever else runs (load average ${options.loadAverage.toFixed(1)} when this section ` +
      'started), so two server processes never get a core each: they take turns on what is left, ' +
      'and the ratio above measures that sharing as much as Redis. Two embedded processes, which ' +
      `share nothing, show what the sharing alone costs: ${ratio(perSecond(memoryTwo), perSecond(memory))} ` +
      `of one process, ${micros(memoryTwo.serverCpu, memoryTwo)} of server CPU per join against ` +
      `${micros(memory.serverCpu, memory)}; two processes on Redis make ` +
      `${ratio(perSecond(redisTwo), perSecond(memoryTwo))} of those two, at ` +
      `${micros(redisTwo.serverCpu, redisTwo)} per join (each join also waits for Redis, which ` +
      'waits for a core too, so each process handles fewer requests per wake-up). Like for ' +
      'like, one process alone with the load generator, Redis costs ' +
      `${micros(redisOne.serverCpu, redisOne)} of server CPU and ` +
      `${micros(redisOne.redisCpu, redisOne)} of Redis CPU per join against ` +
      `${micros(memory.serverCpu, memory)} for the embedded store. The goal is stated for a ` +
      'machine where each process has its own core, which this one cannot give, so it cannot ' +
      'show the goal met or missed. What it can give is the CPU each join costs: with a core for ' +
      'each server and one for Redis, at the CPU per join of one process on Redis, two processes ' +
      `would make about ${count(projected)} joins/s against ${count(embeddedAlone)} for the ` +
      `embedded store on its one core, ${(projected / embeddedAlone).toFixed(2)}x. That is an ` +
      'estimate, not a measurement: it assumes the CPU per join stays as measured here and that ' +
      'a network between the servers and Redis adds latency (covered by more connections) but no ' +
      'CPU; it does not show how the processes behave with their own cores, nor Redis past what ' +
      'one core of it does.',
    '',
    'Redis cost per request, counted exactly (`bench/redis-operation-costs.ts`, bounded by ' +
      '`test/server/redis-round-trips.test.ts`): one request at a time through one server; round ' +
      'trips and commands sent (a script call is one) counted by a proxy in front of Redis, ' +
      'commands executed (including those inside scripts) from `INFO commandstats`, and the ' +
      'bytes Redis answered. The highest of several requests of each kind.',
    '',
    markdownTable(
      ['request', 'round trips', 'commands sent', 'commands executed', 'bytes answered'],
      [
        costRow('join, one at a time (a fresh block of one seq each)', costs.join),
        costRow('join, 200 at once (per join; blocks of seqs shared)', costs.concurrentJoin),
        costRow('state', costs.state),
        costRow('admit, first claim', costs.firstClaim),
        costRow('admit, repeat claim', costs.repeatClaim),
        costRow(
          'admit, first claim with `maxActive` (room holding up to 40 claims)',
          costs.cappedFirstClaim,
        ),
        costRow('booking (`/demo/book`: verify + single use)', costs.booking),
      ],
    ),
    '',
    'Before the cuts of issue 16 (same counting): a join 3 round trips and 6 commands executed one ' +
      'at a time (one of them reading the room again after its seq), 2.2 commands sent per join ' +
      '200 at once; a first claim 4 round trips and 21 commands; a repeat claim 2 and 5; a first ' +
      'claim with `maxActive` 5 and 30, copying every claim of the room to the server (8,148 bytes ' +
      'answered with 40 claims, growing with each).',
    '',
  ].join('\n');
}
