/**
 * A loopback TCP proxy in front of Redis that counts what clients send through it: the
 * commands (a script call counts once) and the round trips, without `MONITOR` (which slows
 * Redis down and reports the commands scripts run inside Redis as if they were separate
 * requests). The round-trip test (`test/server/redis-round-trips.test.ts`) and the Redis bench
 * both use it.
 *
 * It reads just enough RESP to find where each command and each answer ends. A round trip
 * starts when a connection sends a command while it waits for no answer: commands written
 * together (a pipeline, or reads started side by side) share one, and a command that had to
 * wait for an answer starts the next. Answers flow back untouched.
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** A running counter. */
export interface RedisCommandCounter {
  /** `redis://` URL of the proxy: give it to the server instead of Redis' own. */
  url: string;
  /** Commands sent through the proxy so far. */
  commands(): number;
  /** Round trips so far: batches of commands, each sent with no answer outstanding. */
  roundTrips(): number;
  /** Bytes Redis answered so far: what a read that copies a whole record costs. */
  answerBytes(): number;
  close(): Promise<void>;
}

/** Where the RESP value starting at `at` ends, or -1 when `buffer` does not hold all of it. */
function skipValue(buffer: Buffer, at: number): number {
  const end = buffer.indexOf('\r\n', at);
  if (end < 0) return -1;
  const type = String.fromCharCode(buffer[at]!);
  const size = Number(buffer.toString('latin1', at + 1, end));
  let next = end + 2;
  if (type === '$' || type === '!' || type === '=') {
    if (size < 0) return next;
    next += size + 2;
    return next > buffer.length ? -1 : next;
  }
  if (type === '*' || type === '~' || type === '>' || type === '%') {
    const items = type === '%' ? size * 2 : size;
    for (let i = 0; i < items && next >= 0; i += 1) next = skipValue(buffer, next);
    return next;
  }
  // Simple strings, errors, integers and RESP3 scalars are one line; so is an inline command.
  return next;
}

/** Counts the complete RESP values at the start of `buffer`; returns them and bytes used. */
function countValues(buffer: Buffer): { values: number; used: number } {
  let used = 0;
  let values = 0;
  for (;;) {
    const next = used < buffer.length ? skipValue(buffer, used) : -1;
    if (next < 0) return { values, used };
    values += 1;
    used = next;
  }
}

/** Feeds chunks of one direction of a connection, calling `found` with each count of values. */
function valueStream(found: (values: number) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const { values, used } = countValues(pending);
    pending = pending.subarray(used);
    if (values > 0) found(values);
  };
}

/**
 * Starts a counting proxy for the Redis at `redisUrl`.
 *
 * @example
 * ```ts
 * const counter = await startRedisCommandCounter('redis://127.0.0.1:6379');
 * // ... run a server with redisUrl: counter.url, then:
 * console.log(counter.commands(), counter.roundTrips());
 * ```
 */
export async function startRedisCommandCounter(redisUrl: string): Promise<RedisCommandCounter> {
  const target = new URL(redisUrl);
  let commands = 0;
  let roundTrips = 0;
  let answerBytes = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let awaited = 0;
    const sent = valueStream((found) => {
      if (awaited === 0) roundTrips += 1;
      awaited += found;
      commands += found;
    });
    const answered = valueStream((found) => {
      awaited = Math.max(0, awaited - found);
    });
    client.on('data', (chunk: Buffer) => {
      sent(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      answered(chunk);
      answerBytes += chunk.length;
      client.write(chunk);
    });
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
    roundTrips: () => roundTrips,
    answerBytes: () => answerBytes,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
