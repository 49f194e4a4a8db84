/**
 * A loopback TCP proxy in front of Redis that counts the commands clients send through it:
 * the round trips a server makes, without `MONITOR` (which slows Redis down and reports the
 * commands scripts run inside Redis as if they were separate requests).
 *
 * It reads just enough RESP to find where each command ends: an array header `*N`, then N
 * bulk strings `$len`. Answers flow back untouched.
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** A running counter. */
export interface RedisCommandCounter {
  /** `redis://` URL of the proxy: give it to the server instead of Redis' own. */
  url: string;
  /** Commands sent through the proxy so far. */
  commands(): number;
  close(): Promise<void>;
}

/** Counts the complete RESP commands at the start of `buffer`; returns them and bytes used. */
function countCommands(buffer: Buffer): { commands: number; used: number } {
  let at = 0;
  let commands = 0;
  const line = (from: number): [value: string, next: number] | null => {
    const end = buffer.indexOf('\r\n', from);
    return end < 0 ? null : [buffer.toString('latin1', from, end), end + 2];
  };
  for (;;) {
    const head = line(at);
    if (!head) break;
    if (!head[0].startsWith('*')) {
      // An inline command (e.g. from redis-cli): one line, one command.
      commands += 1;
      at = head[1];
      continue;
    }
    let next = head[1];
    let complete = true;
    for (let i = 0; i < Number(head[0].slice(1)); i += 1) {
      const bulk = line(next);
      if (!bulk) {
        complete = false;
        break;
      }
      next = bulk[1] + Number(bulk[0].slice(1)) + 2;
      if (next > buffer.length) {
        complete = false;
        break;
      }
    }
    if (!complete) break;
    commands += 1;
    at = next;
  }
  return { commands, used: at };
}

/**
 * Starts a counting proxy for the Redis at `redisUrl`.
 *
 * @example
 * ```ts
 * const counter = await startRedisCommandCounter('redis://127.0.0.1:6379');
 * // ... run a server with redisUrl: counter.url, then:
 * console.log(counter.commands());
 * ```
 */
export async function startRedisCommandCounter(redisUrl: string): Promise<RedisCommandCounter> {
  const target = new URL(redisUrl);
  let commands = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const { commands: found, used } = countCommands(pending);
      commands += found;
      pending = pending.subarray(used);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    commands: () => commands,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
