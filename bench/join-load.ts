/**
 * A small closed-loop load generator: `connections` keep-alive connections each send
 * `POST /rooms/:room/join` back to back for a while, spread over one or more servers.
 */
import { Agent, request } from 'node:http';

/** What {@link loadJoins} measured. */
export interface JoinLoad {
  joins: number;
  errors: number;
  perSecond: number;
}

/**
 * Joins as fast as the servers answer for `durationMs` (after `warmupMs` not counted).
 *
 * @example
 * ```ts
 * const { perSecond } = await loadJoins(['http://127.0.0.1:8787'], 'demo', { durationMs: 5000 });
 * ```
 */
export async function loadJoins(
  urls: readonly string[],
  room: string,
  options: { connections?: number; durationMs?: number; warmupMs?: number } = {},
): Promise<JoinLoad> {
  const connections = options.connections ?? 32;
  const durationMs = options.durationMs ?? 5000;
  const warmupMs = options.warmupMs ?? 1000;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const body = '{}';
  const once = (url: string) =>
    new Promise<boolean>((done) => {
      const req = request(
        `${url}/rooms/${room}/join`,
        {
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode === 200));
        },
      );
      req.on('error', () => done(false));
      req.end(body);
    });
  const start = performance.now();
  const countFrom = start + warmupMs;
  const end = countFrom + durationMs;
  let joins = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let i = worker; performance.now() < end; i += 1) {
        const ok = await once(urls[i % urls.length]!);
        if (performance.now() < countFrom) continue;
        if (ok) joins += 1;
        else errors += 1;
      }
    }),
  );
  agent.destroy();
  return { joins, errors, perSecond: Math.round(joins / (durationMs / 1000)) };
}
