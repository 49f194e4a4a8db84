/**
 * A small HTTP load generator for loopback benchmarks: `node:http` with keep-alive
 * connections, closed loop for throughput and open loop (a fixed arrival rate) for latency.
 *
 * Why open loop for latency: a closed loop waits for each answer before sending the next, so a
 * slow server slows the load down and hides its own queueing ("coordinated omission"). At a
 * fixed rate, each latency is counted from when the request was due, not when it was sent.
 */
import { Agent, request } from 'node:http';

/** One request to send; `null` from a {@link RequestSource} means none are left. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Gives the `i`-th request of a run (shared across connections), or null when out of work. */
export type RequestSource = (i: number) => LoadRequest | null;

/** What a closed-loop run measured. */
export interface Throughput {
  /** Answers with the expected status per second during the measured time. */
  perSecond: number;
  ok: number;
  errors: number;
  /** Measured time in ms (shorter than asked when the source ran out). */
  measuredMs: number;
}

/** What an open-loop run measured (latencies in ms). */
export interface Latency {
  ratePerSec: number;
  connections: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

const send = (agent: Agent, base: URL, spec: LoadRequest): Promise<number> =>
  new Promise((done) => {
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) headers['Content-Length'] = Buffer.byteLength(spec.body);
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: spec.path,
        method: spec.method,
        agent,
        headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(0));
      },
    );
    req.on('error', () => done(0));
    req.end(spec.body);
  });

const isOk = (status: number) => status >= 200 && status < 300;

/** Keep-alive connections to one target (or several, round-robin), driven in timed runs. */
interface ClosedLoop {
  /** Keeps every connection busy for `ms`; counts answers only when `counted`. */
  run(ms: number, counted: boolean): Promise<void>;
  result(): Throughput;
  close(): void;
}

function closedLoop(
  url: string | readonly string[],
  next: RequestSource,
  connections: number,
): ClosedLoop {
  const bases = (typeof url === 'string' ? [url] : url).map((u) => new URL(u));
  const agent = new Agent({ keepAlive: true, maxSockets: Math.ceil(connections / bases.length) });
  let issued = 0;
  let ok = 0;
  let errors = 0;
  let measuredMs = 0;
  let exhausted = false;
  return {
    async run(ms, counted) {
      const start = performance.now();
      const end = start + ms;
      let last = start;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (!exhausted && performance.now() < end) {
            const i = issued++;
            const spec = next(i);
            if (spec === null) {
              exhausted = true;
              return;
            }
            const status = await send(agent, bases[i % bases.length]!, spec);
            last = Math.max(last, performance.now());
            if (!counted) continue;
            if (isOk(status)) ok += 1;
            else errors += 1;
          }
        }),
      );
      // The answers still in flight at `end` are counted, so is the time they took.
      if (counted) measuredMs += last - start;
    },
    result: () => ({ perSecond: ok / (measuredMs / 1000), ok, errors, measuredMs }),
    close: () => agent.destroy(),
  };
}

/**
 * Sends requests back to back on `connections` keep-alive connections for `warmupMs` (not
 * counted) and then `durationMs`, and counts the 2xx answers. Given several URLs (processes
 * behind one load balancer), requests go round-robin. A source that runs out ends the run.
 *
 * @example
 * ```ts
 * const { perSecond } = await measureThroughput('http://127.0.0.1:8787', () => ({
 *   method: 'GET', path: '/rooms/demo/state',
 * }), { connections: 32, durationMs: 3000 });
 * ```
 */
export async function measureThroughput(
  url: string | readonly string[],
  next: RequestSource,
  options: { connections: number; durationMs: number; warmupMs?: number },
): Promise<Throughput> {
  const loop = closedLoop(url, next, options.connections);
  try {
    await loop.run(options.warmupMs ?? 1000, false);
    await loop.run(options.durationMs, true);
    return loop.result();
  } finally {
    loop.close();
  }
}

/**
 * Measures two targets in alternating slices (after a warm-up of each), so that a busy moment
 * of a shared machine slows both alike instead of deciding their ratio.
 *
 * @example
 * ```ts
 * const [app, bare] = await compareThroughput(
 *   { url: appUrl, next: () => state }, { url: bareUrl, next: () => state },
 *   { connections: 32, durationMs: 3000 },
 * );
 * ```
 */
export async function compareThroughput(
  a: { url: string | readonly string[]; next: RequestSource },
  b: { url: string | readonly string[]; next: RequestSource },
  options: { connections: number; durationMs: number; warmupMs?: number; slices?: number },
): Promise<[Throughput, Throughput]> {
  const loops = [a, b].map((side) => closedLoop(side.url, side.next, options.connections));
  const slices = options.slices ?? 6;
  try {
    for (const loop of loops) await loop.run(options.warmupMs ?? 1000, false);
    for (let i = 0; i < slices; i += 1) {
      for (const loop of loops) await loop.run(options.durationMs / slices, true);
    }
    return [loops[0]!.result(), loops[1]!.result()];
  } finally {
    for (const loop of loops) loop.close();
  }
}

/**
 * Sends `ratePerSec` requests a second, evenly spaced, over at most `connections` keep-alive
 * connections for `durationMs`, and reports latency percentiles counted from each request's
 * due time.
 *
 * @example
 * ```ts
 * const { p99 } = await measureLatency(url, () => ({ method: 'GET', path: '/rooms/demo/state' }), {
 *   ratePerSec: 2000, connections: 32, durationMs: 3000,
 * });
 * ```
 */
export async function measureLatency(
  url: string,
  next: RequestSource,
  options: { ratePerSec: number; connections: number; durationMs: number; warmupMs?: number },
): Promise<Latency> {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const warmupMs = options.warmupMs ?? 500;
  const total = Math.floor((options.ratePerSec * (warmupMs + options.durationMs)) / 1000);
  const gapMs = 1000 / options.ratePerSec;
  const start = performance.now();
  const latencies: number[] = [];
  const pending: Array<Promise<void>> = [];
  let errors = 0;
  let i = 0;
  while (i < total) {
    const now = performance.now();
    // Every request due by now goes out; the agent queues those that find no free connection.
    while (i < total && start + i * gapMs <= now) {
      const due = start + i * gapMs;
      const spec = next(i);
      i += 1;
      if (spec === null) break;
      const counted = due - start >= warmupMs;
      pending.push(
        send(agent, base, spec).then((status) => {
          if (!counted) return;
          latencies.push(performance.now() - due);
          if (!isOk(status)) errors += 1;
        }),
      );
    }
    await new Promise((tick) => setTimeout(tick, 1));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    ratePerSec: options.ratePerSec,
    connections: options.connections,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? 0,
    errors,
  };
}
