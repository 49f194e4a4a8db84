/**
 * The HTTP section of BENCHMARKS.md: `state`, `join` and `admit` of the real queue server,
 * each against a bare `node:http` server doing only the unavoidable work (the same bytes; the
 * same signing; the same verifying and signing), and p99 latency at half of saturation.
 *
 * Servers run as their own processes (see `bench/targets/`); the load generator runs here.
 */
import { availableParallelism } from 'node:os';
import { compareThroughput, measureLatency, measureThroughput } from './load-generator.js';
import type { Latency, LoadRequest, RequestSource } from './load-generator.js';
import { count, markdownTable, ratio, verdict } from './markdown-table.js';
import { spawnTarget } from './spawn-target.js';
import type { Target } from './spawn-target.js';

/** Options of {@link benchHttp}. */
export interface HttpBenchOptions {
  /** Measured time per figure, after 1 s of warm-up. */
  durationMs: number;
  /** Keep-alive connections of the load generator. */
  connections: number;
}

const STATE: LoadRequest = { method: 'GET', path: '/rooms/bench/state' };
const JOIN: LoadRequest = {
  method: 'POST',
  path: '/rooms/bench/join',
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
};

/** Each prepared ticket is admitted once, so every admission is a fresh verify and sign. */
const admitEach =
  (tickets: readonly string[]): RequestSource =>
  (i) =>
    i < tickets.length
      ? {
          method: 'POST',
          path: '/rooms/bench/admit',
          headers: { Authorization: `Bearer ${tickets[i]}` },
        }
      : null;

/** Tickets to prepare per admit target: enough for warm-up plus the measured time. */
const ticketsFor = (durationMs: number) => String(Math.ceil(((durationMs + 1000) / 1000) * 8000));

/**
 * Runs the HTTP benchmarks and returns their section of BENCHMARKS.md.
 *
 * @example
 * ```ts
 * const markdown = await benchHttp({ durationMs: 3000, connections: 32 });
 * ```
 */
export async function benchHttp(options: HttpBenchOptions): Promise<string> {
  const load = { connections: options.connections, durationMs: options.durationMs };
  const targets: Target[] = [];
  const start = async (script: string, env: Record<string, string> = {}) => {
    const target = await spawnTarget(script, env);
    targets.push(target);
    return target;
  };
  try {
    const tickets = ticketsFor(options.durationMs);
    const queue = await start('bench/targets/queue-server.ts');
    const stateAnswer = await fetch(`${queue.url}${STATE.path}`);
    const stateBody = await stateAnswer.text();
    // Every header of the real answer but those of the connection, which Node sets itself.
    const perConnection = new Set(['date', 'connection', 'keep-alive', 'content-length']);
    const stateHeaders = Object.fromEntries(
      [...stateAnswer.headers].filter(([name]) => !perConnection.has(name)),
    );
    const bareState = await start('bench/targets/bare-state-server.ts', {
      BENCH_STATE_BODY: stateBody,
      BENCH_STATE_HEADERS: JSON.stringify(stateHeaders),
    });
    const bareJoin = await start('bench/targets/bare-join-server.ts');

    const [stateApp, stateBare] = await compareThroughput(
      { url: queue.url, next: () => STATE },
      { url: bareState.url, next: () => STATE },
      load,
    );
    // Where the state gap comes from: the framework alone, then with the security headers.
    const stateEnv = {
      BENCH_STATE_BODY: stateBody,
      BENCH_STATE_HEADERS: JSON.stringify(stateHeaders),
    };
    const honoPlain = await start('bench/targets/hono-state-server.ts', stateEnv);
    const honoSecured = await start('bench/targets/hono-state-server.ts', {
      ...stateEnv,
      BENCH_SECURITY_HEADERS: '1',
    });
    const [plainHono, plainBare] = await compareThroughput(
      { url: honoPlain.url, next: () => STATE },
      { url: bareState.url, next: () => STATE },
      load,
    );
    const [securedHono, plainHonoAgain] = await compareThroughput(
      { url: honoSecured.url, next: () => STATE },
      { url: honoPlain.url, next: () => STATE },
      load,
    );
    await honoPlain.stop();
    await honoSecured.stop();
    const [joinApp, joinBare] = await compareThroughput(
      { url: queue.url, next: () => JOIN },
      { url: bareJoin.url, next: () => JOIN },
      load,
    );
    await bareState.stop();
    await bareJoin.stop();

    const latencyOf = (source: RequestSource, saturated: number) =>
      measureLatency(queue.url, source, {
        ratePerSec: Math.max(1, Math.round(saturated / 2)),
        connections: options.connections,
        durationMs: options.durationMs,
      });
    const stateLatency = await latencyOf(() => STATE, stateApp.perSecond);
    const joinLatency = await latencyOf(() => JOIN, joinApp.perSecond);

    await queue.stop();
    // Admissions need tickets whose turn has come: a server of their own, prepared with them.
    const claiming = await start('bench/targets/queue-server.ts', { BENCH_TICKETS: tickets });
    const bareAdmit = await start('bench/targets/bare-admit-server.ts', { BENCH_TICKETS: tickets });
    const [admitApp, admitBare] = await compareThroughput(
      { url: claiming.url, next: admitEach(claiming.ready['tickets'] as string[]) },
      { url: bareAdmit.url, next: admitEach(bareAdmit.ready['tickets'] as string[]) },
      load,
    );
    await bareAdmit.stop();
    const claimsHeld = admitApp.ok + admitApp.errors;
    const stateLatencyLoaded = await measureLatency(claiming.url, () => STATE, {
      ratePerSec: Math.max(1, Math.round(stateApp.perSecond / 2)),
      connections: options.connections,
      durationMs: options.durationMs,
    });
    await claiming.stop();
    const inMemory = await start('bench/targets/queue-server.ts', {
      BENCH_TICKETS: tickets,
      BENCH_PERSIST: '0',
    });
    const admitInMemory = await measureThroughput(
      inMemory.url,
      admitEach(inMemory.ready['tickets'] as string[]),
      load,
    );

    const rows = [
      ['`GET state`', stateApp, 'bare `node:http`, same bytes and headers', stateBare, 0.9],
      ['`POST join`', joinApp, 'bare `node:http` + `SignJWT` (EdDSA)', joinBare, 0.6],
      ['`POST admit`', admitApp, 'bare `node:http` + `jwtVerify` + `SignJWT`', admitBare, 0.4],
    ] as const;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const latencyRow = (name: string, latency: Latency) => [
      name,
      count(latency.ratePerSec),
      ms(latency.p50),
      ms(latency.p99),
      ms(latency.max),
      String(latency.errors),
    ];
    return [
      '## HTTP throughput and latency',
      '',
      `Closed loop, ${options.connections} keep-alive connections from one \`node:http\` load ` +
        `generator; each queue-gate figure and its baseline are measured in alternating slices ` +
        `(${options.durationMs / 1000} s each in all, after 1 s of warm-up), so that a busy ` +
        `moment of the machine hits both alike; each admission uses a fresh ticket whose turn has ` +
        `come (a first claim: verify, single-use record, sign). Every server is its own process on ` +
        `127.0.0.1; the queue server is \`startQueueServer\` with the embedded store persisted to a ` +
        `temp dir. ${availableParallelism()} CPU(s) shared by the server and the load generator, so ` +
        `absolute figures are low and only the ratios carry over to other machines.`,
      '',
      markdownTable(
        ['request', 'queue-gate req/s', 'baseline', 'baseline req/s', 'ratio', 'goal', ''],
        rows.map(([name, app, baseline, bare, goal]) => [
          name,
          count(app.perSecond),
          baseline,
          count(bare.perSecond),
          ratio(app.perSecond, bare.perSecond),
          `>= ${goal}x`,
          verdict(app.perSecond >= goal * bare.perSecond),
        ]),
      ),
      '',
      `The queue server answers \`state\` from the socket with the answer its route prepared ` +
        `once per change (body, ETag, headers), until the event loop's next turn ` +
        `(\`src/server/state-fast-path.ts\`); the first request of each turn goes through the ` +
        `framework and the store. ` +
        `Where the framework's cost would come from, same bytes and headers, alternating slices as above: a ` +
        `plain Hono route on \`@hono/node-server\` makes ${count(plainHono.perSecond)} req/s, ` +
        `${ratio(plainHono.perSecond, plainBare.perSecond)} of bare \`node:http\`; the same route ` +
        `behind the server's \`securityHeaders()\` middleware makes ` +
        `${count(securedHono.perSecond)} req/s, ${ratio(securedHono.perSecond, plainHonoAgain.perSecond)} ` +
        `of the plain route.`,
      '',
      `For comparison, \`POST admit\` with the embedded store kept in memory only (no data dir, ` +
        `so a claim is not written to disk before its answer): ${count(admitInMemory.perSecond)} ` +
        `req/s, ${ratio(admitInMemory.perSecond, admitBare.perSecond)} of the baseline.`,
      '',
      `Errors (non-2xx or failed): state ${stateApp.errors}, join ${joinApp.errors}, admit ` +
        `${admitApp.errors}, admit in memory ${admitInMemory.errors}; baselines ` +
        `${stateBare.errors + joinBare.errors + admitBare.errors}.`,
      '',
      `Latency of the queue server at half of its saturated throughput (open loop: requests sent ` +
        `at a fixed rate, each timed from when it was due), at most ${options.connections} ` +
        `connections:`,
      '',
      markdownTable(
        ['request', 'rate (req/s)', 'p50', 'p99', 'max', 'errors'],
        [
          latencyRow('`GET state`', stateLatency),
          latencyRow('`POST join`', joinLatency),
          latencyRow(`\`GET state\`, ${count(claimsHeld)} claims held`, stateLatencyLoaded),
        ],
      ),
      '',
    ].join('\n');
  } finally {
    for (const target of targets) await target.stop();
  }
}
